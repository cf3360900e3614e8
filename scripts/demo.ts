// `npm run demo`: one command from a fresh clone to the extension running in a real VS Code
// (its npm script runs scripts/ensure-deps.mjs first, which runs npm ci when node_modules is missing).
// Installs the Debian packages, builds and packages the .vsix, starts the fake Sectigo server
// and code-server with that .vsix installed, a sample workspace (good and bad requests) and user
// settings pointing at the fake server, then prints the address, the demo login and password and
// what to do. Install output (apt, npm) goes to .cache/demo.log; the screen gets one line per stage,
// with how long it took, and one line per call the practice server receives (also written to
// practice-server-calls.log in the workspace, the password masked). Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSectigo, TYPED_DEMO_ACCOUNT, type FakeSectigo } from '../test/fake-sectigo/server';
import { launchChromium } from './vscode/browser';
import {
  codeServerInstalled,
  ensureCodeServer,
  onInterrupt,
  repoRoot,
  startCodeServer,
  type RunningCodeServer,
} from './vscode/code-server';
import { makeSampleWorkspace, SAMPLE_FILES } from './vscode/sample-workspace';
import { packageExtension } from './package';
import { RECEIVED_CALLS_FILE, receivedCallsRecorder } from './received-calls';

export const DEMO_USAGE = `npm run demo [-- OPTIONS]

Runs the extension in code-server (VS Code in a browser) against a local practice server that
answers like Sectigo's API, and prints the address to open. Ctrl-C stops everything and removes
the temporary files. Nothing reaches Sectigo.

Options:
  --port N                 listen on this port (default: a free one)
  --skip-system-packages   do not install the Debian packages the demo needs
                           (scripts/install-system-packages.sh --for demo)
  --smoke                  start, check that the workbench shows the extension, stop (the tests use it)
  --help                   print this and exit
`;

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(DEMO_USAGE);
  process.exit(0);
}
const known = new Set(['--port', '--skip-system-packages', '--smoke']);
const unknown = argv.filter((arg, index) => !known.has(arg) && argv[index - 1] !== '--port');
if (unknown.length > 0) {
  process.stderr.write(`[demo] unknown option ${unknown.join(' ')}; npm run demo -- --help lists the options\n`);
  process.exit(2);
}
const smoke = argv.includes('--smoke');
const portArgument = argv.indexOf('--port');
const port = portArgument >= 0 ? Number(argv[portArgument + 1]) : undefined;

/** apt's and npm's output, kept out of the way (npm run demo's ensure-deps step writes here too). */
const DEMO_LOG = join(repoRoot, '.cache', 'demo.log');
/** How long the Debian packages may take, apt's lock wait on a freshly booted machine included. */
const SYSTEM_PACKAGES_DEADLINE_MS = 30 * 60_000;

function say(message: string): void {
  process.stderr.write(`[demo] ${message}\n`);
}

/**
 * scripts/install-system-packages.sh with its output in the log; the lines it writes for a person
 * ("install-system-packages: waiting for apt's lock ...") are shown as they come.
 */
function installSystemPackages(): Promise<void> {
  return new Promise((resolve, reject) => {
    // Only what the demo needs (code-server's native build, ripgrep): not the tools of the tests.
    const child = spawn('bash', [join(repoRoot, 'scripts', 'install-system-packages.sh'), '--for', 'demo'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), SYSTEM_PACKAGES_DEADLINE_MS);
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => appendFileSync(DEMO_LOG, chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      appendFileSync(DEMO_LOG, chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('install-system-packages: ')) say(`  ${line.slice(25)}`);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status === 0) resolve();
      else reject(new Error(`installing the Debian packages failed (exit ${String(status)}); see ${DEMO_LOG}`));
    });
  });
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
    throw new Error(`--port needs a port number between 1 and 65535, not "${argv[portArgument + 1] ?? ''}"`);
  }
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  appendFileSync(DEMO_LOG, `== npm run demo, ${new Date().toISOString()}\n`);
  // Each stage says how long it took: measured, never guessed.
  const timed = async <T>(work: () => T | Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    say(`    done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
  if (!argv.includes('--skip-system-packages')) {
    say(
      `1/4 Debian packages the demo needs (scripts/install-system-packages.sh --for demo; output in ${DEMO_LOG}) ...`,
    );
    await timed(installSystemPackages);
  } else say('1/4 Debian packages: skipped (--skip-system-packages)');
  say(
    codeServerInstalled()
      ? '2/4 code-server: already installed in .cache/'
      : `2/4 code-server: installing into .cache/, once (~300 MB from the npm registry; output in ${DEMO_LOG}) ...`,
  );
  await timed(() => ensureCodeServer({ logFile: DEMO_LOG }));
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-demo-'));
  say('3/4 building and packaging the extension ...');
  let vsix: string;
  try {
    vsix = await timed(() => packageExtension({ quiet: true, out: join(scratch, 'sectigo-csr-tools.vsix') }));
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
    const workspace = join(scratch, 'workspace');
    await makeSampleWorkspace(workspace);
    say('4/4 starting the practice Sectigo server and code-server with the packaged extension ...');
    // What reaches the practice server is the demo user's to see: a file beside the requests, and this terminal.
    const callsFile = join(workspace, RECEIVED_CALLS_FILE);
    const record = receivedCallsRecorder(callsFile, [TYPED_DEMO_ACCOUNT.loginPassword], (line) =>
      say(`practice server received: ${line}`),
    );
    server = await timed(async () => {
      fake = await startFakeSectigo({ accounts: [TYPED_DEMO_ACCOUNT], onRequest: record });
      return startCodeServer({
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
    });
    if (!fake) throw new Error('the practice server did not start');
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
    // The login is the fake server's fixed demo account, nobody's secret: printed so it can be typed.
    process.stdout.write(
      [
        '',
        `  Sectigo CSR Tools demo: open this address in a browser:  ${url}`,
        '',
        `  Practice server:      ${fake.url} (its CA: ${fake.caFile}); a fake of Sectigo's API, nothing reaches Sectigo`,
        `  Demo login name:      ${TYPED_DEMO_ACCOUNT.loginName}`,
        `  Demo password:        ${TYPED_DEMO_ACCOUNT.loginPassword}   (the fake server's fixed demo value)`,
        '',
        '  Then, in that window:',
        '    1. Run "Sectigo: Set Credentials…" from the command palette (Ctrl-Shift-P), keep the endpoint',
        '       it offers (the practice server), enter the login name and the password above, then keep its CA',
        '       file (Use These): four steps.',
        `    2. Open ${SAMPLE_FILES.weakKey} in the explorer: its problem is underlined, with CodeLens above it.`,
        `    3. The workspace README says what else to try (replace, revoke, a whole list: ${SAMPLE_FILES.list}).`,
        `  Every call the practice server receives is listed in ${RECEIVED_CALLS_FILE} in the workspace`,
        '  (the password masked) and on this terminal.',
        "  Credentials live in VS Code's secret storage, which code-server keeps in the browser.",
        '',
        `  Install output: ${DEMO_LOG}. Ctrl-C stops the demo (code-server, the fake server, the temporary files).`,
        '',
      ].join('\n'),
    );
    if (smoke) {
      await checkWorkbench(url);
      process.stdout.write(`demo ready at ${url}\n`);
      return;
    }
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
