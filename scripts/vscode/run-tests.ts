// `npm run test:vscode`: builds the extension and the extension-host tests, starts code-server
// (installing it first if needed), runs test/vscode/index.ts's run() in its real extension host
// through the workbench's payload parameter, prints the mocha results and exits non-zero on any
// failure or when the suite never reports. Options:
//   --grep PATTERN   only tests whose full title matches
//   --verbose        stream the workbench's browser console
//   --timeout SEC    overall limit (default 900)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt, repoRoot, startCodeServer, type RunningCodeServer } from './code-server';
import { HarnessError, runInExtensionHost } from './extension-host';
import type { RunConfig, RunReport } from '../../test/vscode/index';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Folders left by runs that were killed outright (kill -9) are removed; live runs keep theirs. */
function removeDeadRuns(runsDir: string): void {
  if (!existsSync(runsDir)) return;
  for (const name of readdirSync(runsDir)) {
    const pid = Number(name);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = Number.isInteger(pid) && pid > 0;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(runsDir, name), { recursive: true, force: true });
  }
}

function printReport(report: RunReport): void {
  const out = process.stdout;
  out.write(`\nVS Code ${report.vscodeVersion} extension host (remote: ${report.remoteName ?? 'none'})\n`);
  let currentFile = '';
  for (const test of report.tests) {
    if (test.file !== currentFile) {
      currentFile = test.file;
      out.write(`\n  ${currentFile}\n`);
    }
    const mark = test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip';
    out.write(`    ${mark} ${test.title} (${test.durationMs} ms)\n`);
  }
  const failures = report.tests.filter((test) => test.state === 'failed');
  for (const [index, failure] of failures.entries()) {
    out.write(`\n  ${index + 1}) ${failure.title}\n${(failure.error ?? '').replace(/^/gm, '     ')}\n`);
  }
  if (report.loadError !== undefined)
    out.write(`\n  The suite could not be loaded:\n${report.loadError.replace(/^/gm, '     ')}\n`);
  out.write(
    `\n${report.passed} passed, ${report.failed} failed, ${report.pending} pending (${report.durationMs} ms)\n`,
  );
}

async function main(): Promise<number> {
  // A closed pipe (`| head`) must not kill us before the cleanup has ended code-server.
  process.stdout.on('error', () => undefined);
  const grep = option('--grep');
  const verbose = process.argv.includes('--verbose');
  const timeoutMs = Number(option('--timeout') ?? 900) * 1000;

  // Each run builds the tests into a folder of its own and has its own report file, so two runs
  // started at the same time in one working tree (several people, or an editor's watcher) do not
  // read each other's results.
  const runsDir = join(repoRoot, 'out', 'test', 'vscode-runs');
  removeDeadRuns(runsDir);
  const testsDir = join(runsDir, String(process.pid));
  step('npm', ['run', '--silent', 'build']);
  step(process.execPath, ['scripts/vscode/build-tests.mjs', '--outdir', testsDir]);

  const resultsDir = join(repoRoot, 'test-results', 'vscode');
  mkdirSync(resultsDir, { recursive: true });
  const reportFile = join(testsDir, 'report.json');
  const config: RunConfig = { reportFile, ...(grep === undefined ? {} : { grep }), timeoutMs: 60_000 };
  writeFileSync(join(testsDir, 'run-config.json'), JSON.stringify(config, null, 2) + '\n');

  // A throwaway workspace holding a copy of the sample CSRs, so tests may edit files freely.
  const workspace = mkdtempSync(join(tmpdir(), 'sectigo-vscode-tests-'));
  const fixtures = join(repoRoot, 'test', 'fixtures', 'csr');
  if (existsSync(fixtures)) cpSync(fixtures, join(workspace, 'csr'), { recursive: true });

  let server: RunningCodeServer | undefined;
  const cleanup = async (): Promise<void> => {
    await server?.close();
    // The last report stays readable in test-results/vscode/report.json.
    if (existsSync(reportFile)) copyFileSync(reportFile, join(resultsDir, 'report.json'));
    rmSync(workspace, { recursive: true, force: true });
    rmSync(testsDir, { recursive: true, force: true });
  };
  const stopListening = onInterrupt(cleanup);
  try {
    server = await startCodeServer({ workspace, env: { SECTIGO_VSCODE_TEST_REPORT: reportFile } });
    process.stderr.write(`[test:vscode] code-server at ${server.url}, running the suite ...\n`);
    const { report } = await runInExtensionHost<RunReport>({
      server,
      extensionDevelopmentPaths: [repoRoot],
      extensionTestsPath: join(testsDir, 'index.js'),
      workspace,
      reportFile,
      timeoutMs,
      // Three per-test timeouts without a single test ending means nothing is running any more.
      stallTimeoutMs: 3 * (config.timeoutMs ?? 60_000),
      failureScreenshot: join(resultsDir, 'failure.png'),
      ...(verbose ? { onConsole: (line: string) => process.stderr.write(`[browser] ${line}\n`) } : {}),
    });
    printReport(report);
    if (report.passed + report.failed === 0 && report.loadError === undefined) {
      process.stderr.write(
        'No tests ran: that is a failure, not a pass (check --grep and test/vscode/**/*.test.ts).\n',
      );
      return 1;
    }
    return report.failed > 0 || report.loadError !== undefined ? 1 : 0;
  } catch (error) {
    process.stderr.write(`\n[test:vscode] ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof HarnessError) {
      process.stderr.write(`Browser console (last 40 lines):\n${error.browserConsole.slice(-40).join('\n')}\n`);
      process.stderr.write(`Screenshot: ${join(resultsDir, 'failure.png')}\n`);
    }
    return 1;
  } finally {
    stopListening();
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[test:vscode] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
