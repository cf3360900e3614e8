// `npm run test:electron`: the same extension-host suite in desktop VS Code, downloaded by
// @vscode/test-electron. For contributors whose machine can reach VS Code's update server; it
// cannot run on the CI machines (no such access), where `npm run test:vscode` runs the suite in
// code-server instead. The runner (test/vscode/index.ts) rejects on failures, so runTests'
// exit code is the verdict; the JSON report is written to test-results/vscode/ as well.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './code-server';

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

async function main(): Promise<number> {
  step('npm', ['run', '--silent', 'build']);
  step(process.execPath, ['scripts/vscode/build-tests.mjs']);
  const workspace = mkdtempSync(join(tmpdir(), 'sectigo-electron-tests-'));
  const fixtures = join(repoRoot, 'test', 'fixtures', 'csr');
  if (existsSync(fixtures)) cpSync(fixtures, join(workspace, 'csr'), { recursive: true });
  try {
    return await runTests({
      // The engine range of package.json; 1.100.x is also what code-server bundles.
      version: process.env.SECTIGO_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'vscode', 'index.js'),
      extensionTestsEnv: {
        SECTIGO_VSCODE_TEST_REPORT: join(repoRoot, 'test-results', 'vscode', 'report-electron.json'),
      },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`[test:electron] ${message}\n`);
    if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|update\.code\.visualstudio\.com/.test(message)) {
      process.stderr.write(
        '[test:electron] VS Code cannot be downloaded from this machine; `npm run test:vscode` runs the same suite in code-server.\n',
      );
    }
    process.exit(1);
  },
);
