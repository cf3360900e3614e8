// `npm run demo`: one command from a fresh clone to the extension running in a real VS Code
// (its npm script runs scripts/ensure-deps.mjs first, which runs npm ci when node_modules is missing).
// Installs the Debian packages, builds and packages the .vsix, starts the fake Sectigo server
// and code-server with that .vsix installed, a sample workspace (good and bad requests) and user
// settings pointing at the fake server, then prints the URL. Ctrl-C stops everything.
//   --port N                 listen on this port (default: a free one)
//   --skip-system-packages   do not run scripts/install-system-packages.sh
//   --smoke                  start, check the workbench shows the extension, stop (used by tests)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSectigo, TYPED_DEMO_ACCOUNT, type FakeSectigo } from '../test/fake-sectigo/server';
import { launchChromium } from './vscode/browser';
import { onInterrupt, repoRoot, startCodeServer, type RunningCodeServer } from './vscode/code-server';
import { makeSampleWorkspace, SAMPLE_FILES } from './vscode/sample-workspace';
import { packageExtension } from './package';

const smoke = process.argv.includes('--smoke');
const portArgument = process.argv.indexOf('--port');
const port = portArgument >= 0 ? Number(process.argv[portArgument + 1]) : undefined;

function say(message: string): void {
  process.stderr.write(`[demo] ${message}\n`);
}

/** Opens the workbench headless and waits until the explorer lists the sample and the Sectigo view is there. */
async function checkWorkbench(url: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page
      .locator('.explorer-folders-view')
      .getByText(SAMPLE_FILES.good, { exact: true })
      .waitFor({ timeout: 90_000 });
    // The extension's view container in the activity bar proves the .vsix was installed and read.
    await page.locator('.activitybar [aria-label^="Sectigo"]').first().waitFor({ timeout: 60_000 });
    say('smoke check: the workbench lists the sample requests and shows the Sectigo view container');
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port needs a port number between 1 and 65535, not "${process.argv[portArgument + 1] ?? ''}"`);
  }
  if (!process.argv.includes('--skip-system-packages')) {
    say('checking the Debian packages (scripts/install-system-packages.sh) ...');
    const install = spawnSync('bash', [join(repoRoot, 'scripts', 'install-system-packages.sh')], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error('installing the Debian packages failed; see above');
  }
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-demo-'));
  say('building and packaging the extension ...');
  let vsix: string;
  try {
    vsix = packageExtension({ quiet: true, out: join(scratch, 'sectigo-csr-tools.vsix') });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  let fake: FakeSectigo | undefined;
  let server: RunningCodeServer | undefined;
  const cleanup = async (): Promise<void> => {
    await server?.close();
    await fake?.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  const stopListening = onInterrupt(cleanup);
  try {
    fake = await startFakeSectigo({ accounts: [TYPED_DEMO_ACCOUNT] });
    const workspace = join(scratch, 'workspace');
    await makeSampleWorkspace(workspace);
    say('starting code-server with the packaged extension installed ...');
    server = await startCodeServer({
      workspace,
      stateDir: join(scratch, 'code-server'),
      installExtensions: [vsix],
      ...(port === undefined ? {} : { port }),
      userSettings: {
        // User settings (not workspace ones): the extension only trusts those for where to send credentials.
        // The machine-scoped ones go to the Remote tab (Machine/settings.json), where this remote window reads them.
        'sectigo.baseUrl': fake.url,
        'sectigo.caFile': fake.caFile,
        'workbench.startupEditor': 'readme',
        // code-server would forward every port its terminals and tasks open, with a notification each.
        'remote.autoForwardPorts': false,
        'remote.restoreForwardedPorts': false,
      },
    });
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
    if (smoke) {
      await checkWorkbench(url);
      process.stdout.write(`demo ready at ${url}\n`);
      return;
    }
    process.stdout.write(
      [
        '',
        `  Sectigo CSR Tools demo: open ${url}`,
        '',
        `  Fake Sectigo server:  ${fake.url} (its CA: ${fake.caFile})`,
        `  Demo login name:      ${TYPED_DEMO_ACCOUNT.loginName}`,
        '  Demo password:        TYPED_DEMO_ACCOUNT.loginPassword in test/fake-sectigo/accounts.ts (not printed on purpose)',
        '',
        "  Credentials live in VS Code's secret storage, which code-server keeps in the browser, so",
        '  enter them once with "Sectigo: Set Credentials…" in the window. The workspace README says what to try.',
        '',
        '  Ctrl-C stops the demo (code-server, the fake server, the temporary files).',
        '',
      ].join('\n'),
    );
    // Run until Ctrl-C (onInterrupt cleans up and exits); the timer keeps Node's event loop alive.
    setInterval(() => undefined, 1 << 30);
    await new Promise<never>(() => undefined);
  } finally {
    stopListening();
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[demo] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
