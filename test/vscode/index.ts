// The extension-host test runner. VS Code (code-server through the workbench's `payload`
// parameter, or desktop VS Code through @vscode/test-electron) loads this file in the extension
// host and calls run(). It runs every compiled test/vscode/**/*.test.js with mocha and reports
// the counts to whoever launched it, because the launching script cannot see the extension
// host's console: it writes a JSON report to the file named by SECTIGO_VSCODE_TEST_REPORT or by
// run-config.json next to this file. Both mocha interfaces work: describe/it and suite/test.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Written by the launcher next to the compiled runner. */
export interface RunConfig {
  readonly reportFile?: string;
  /** Only tests whose full title matches this regular expression run. */
  readonly grep?: string;
  /** Per-test timeout; extension-host tests wait on real UI events, so the default is generous. */
  readonly timeoutMs?: number;
}

export interface TestOutcome {
  readonly title: string;
  readonly file: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs: number;
  readonly error?: string;
}

export interface RunReport {
  readonly state: 'started' | 'done';
  readonly vscodeVersion: string;
  readonly remoteName: string | null;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly durationMs: number;
  readonly tests: readonly TestOutcome[];
  /** Set when the suite could not even be loaded (a test file threw while being required). */
  readonly loadError?: string;
}

function readConfig(): RunConfig {
  const configFile = join(__dirname, 'run-config.json');
  const fromFile: RunConfig = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as RunConfig) : {};
  return {
    ...fromFile,
    reportFile: process.env.SECTIGO_VSCODE_TEST_REPORT ?? fromFile.reportFile,
    grep: process.env.SECTIGO_VSCODE_TEST_GREP ?? fromFile.grep,
  };
}

function compiledTests(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? compiledTests(path) : path.endsWith('.test.js') ? [path] : [];
    })
    .sort();
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function writeReport(reportFile: string | undefined, report: RunReport): void {
  if (reportFile === undefined) return;
  mkdirSync(dirname(reportFile), { recursive: true });
  // Write then rename would be atomic, but the launcher only trusts state 'done', and a partial
  // JSON fails to parse and is read again on its next poll.
  writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
}

export async function run(): Promise<void> {
  const config = readConfig();
  const started = Date.now();
  const base = { vscodeVersion: vscode.version, remoteName: vscode.env.remoteName ?? null };
  const tests: TestOutcome[] = [];
  const counts = { passed: 0, failed: 0, pending: 0 };
  writeReport(config.reportFile, { state: 'started', ...base, ...counts, durationMs: 0, tests });

  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: config.timeoutMs ?? 60_000, reporter: 'spec' });
  // Add the TDD globals (suite/test/setup/teardown) beside the BDD ones, so test authors may use either.
  Mocha.interfaces.tdd(mocha.suite);
  if (config.grep !== undefined && config.grep !== '') mocha.grep(new RegExp(config.grep));
  const here = resolve(__dirname);
  for (const file of compiledTests(here)) mocha.addFile(file);

  const fileOf = (test: Mocha.Test): string => (test.file === undefined ? '' : relative(here, test.file));
  const record = (test: Mocha.Test, state: TestOutcome['state'], error?: unknown): void => {
    counts[state] += 1;
    tests.push({
      title: test.fullTitle(),
      file: fileOf(test),
      state,
      durationMs: test.duration ?? 0,
      ...(error === undefined ? {} : { error: describeError(error) }),
    });
    // Progress after every test, so the launcher can tell a slow suite from a dead extension host.
    writeReport(config.reportFile, { state: 'started', ...base, ...counts, durationMs: Date.now() - started, tests });
  };

  let loadError: string | undefined;
  await new Promise<void>((done) => {
    try {
      const runner = mocha.run(() => done());
      runner.on('pass', (test) => record(test, 'passed'));
      runner.on('fail', (test, error) => record(test, 'failed', error));
      runner.on('pending', (test) => record(test, 'pending'));
    } catch (error) {
      loadError = describeError(error);
      done();
    }
  });

  const report: RunReport = {
    state: 'done',
    ...base,
    ...counts,
    durationMs: Date.now() - started,
    tests,
    ...(loadError === undefined ? {} : { loadError }),
  };
  writeReport(config.reportFile, report);
  if (loadError !== undefined) throw new Error(`The extension-host tests could not be loaded:\n${loadError}`);
  if (counts.failed > 0) throw new Error(`${counts.failed} extension-host test(s) failed.`);
}
