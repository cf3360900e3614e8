// The contributor's F5 loop (.vscode/launch.json, .vscode/tasks.json): every task a launch
// needs exists, the npm scripts the tasks run exist, and the watch task's problem matcher reads
// the lines esbuild.mjs prints in --watch mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** JSON with comments, as VS Code reads these files (whole-line // comments only here). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped settings file
function readJsonc(path: string): any {
  const text = readFileSync(join(root, path), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
  return JSON.parse(text);
}

/** The parts of a VS Code problem matcher this test reads. */
interface ProblemMatcher {
  background: { beginsPattern: string; endsPattern: string };
  pattern: { regexp: string; file: number; line: number; column: number; message: number };
}

const launch = readJsonc('.vscode/launch.json');
const tasks = readJsonc('.vscode/tasks.json').tasks as {
  label: string;
  type?: string;
  script?: string;
  dependsOn?: string[];
  group?: unknown;
  isBackground?: boolean;
  problemMatcher?: ProblemMatcher;
}[];
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

test('Run Extension and Extension Tests are there, and each pre-launch task exists', () => {
  const names = launch.configurations.map((configuration: { name: string }) => configuration.name);
  for (const name of ['Run Extension', 'Extension Tests', 'Extension Tests (@vscode/test-electron)'])
    assert.ok(names.includes(name), name);
  const labels = tasks.map((task) => task.label);
  for (const configuration of launch.configurations) {
    const pre = configuration.preLaunchTask as string | undefined;
    if (pre === undefined || pre === '${defaultBuildTask}') continue;
    assert.ok(labels.includes(pre), `${configuration.name}: no task "${pre}"`);
  }
  const tests = launch.configurations.find(
    (configuration: { name: string }) => configuration.name === 'Extension Tests',
  );
  assert.ok(
    tests.args.includes('--extensionTestsPath=${workspaceFolder}/out/test/vscode/index'),
    'the runner build-tests.mjs writes',
  );
  assert.match(readFileSync(join(root, 'scripts', 'vscode', 'build-tests.mjs'), 'utf8'), /'out\/test\/vscode'/);
});

test('the default build task watches with esbuild and tsc, through npm scripts that exist', () => {
  const defaults = tasks.filter((task) => (task.group as { isDefault?: boolean } | undefined)?.isDefault);
  assert.equal(defaults.length, 1);
  for (const label of defaults[0]?.dependsOn ?? []) {
    const task = tasks.find((candidate) => candidate.label === label);
    assert.ok(task, label);
    assert.equal(task.isBackground, true, `${label} must be a background task, or F5 would wait forever`);
    assert.ok(task.script !== undefined && task.script in scripts, `npm script ${task.script} is missing`);
  }
  assert.match(scripts.watch ?? '', /esbuild\.mjs --watch/);
});

test('the esbuild problem matcher reads what esbuild.mjs --watch prints', () => {
  const matcher = tasks.find((task) => task.script === 'watch')?.problemMatcher;
  assert.ok(matcher, 'the watch task has no problem matcher');
  const source = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
  for (const line of ['[watch] build started', '[watch] build finished']) assert.ok(source.includes(`'${line}'`), line);
  assert.ok(source.includes('console.log(`[watch] error ${where}: ${text}`)'));
  assert.match('[watch] build started', new RegExp(matcher.background.beginsPattern));
  assert.match('[watch] build finished', new RegExp(matcher.background.endsPattern));
  const error = new RegExp(matcher.pattern.regexp).exec(
    '[watch] error src/cli/main.ts:12:7: Expected ";" but found ":"',
  );
  assert.ok(error);
  assert.deepEqual(
    [
      error[matcher.pattern.file],
      error[matcher.pattern.line],
      error[matcher.pattern.column],
      error[matcher.pattern.message],
    ],
    ['src/cli/main.ts', '12', '7', 'Expected ";" but found ":"'],
  );
});

test('.vscode/ is tracked, not ignored', () => {
  const ignored = spawnSync('git', ['check-ignore', '-q', '.vscode/launch.json'], { cwd: root });
  assert.equal(ignored.status, 1, '.gitignore must not ignore .vscode/');
});
