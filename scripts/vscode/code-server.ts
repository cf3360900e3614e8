// code-server is VS Code's own server and web workbench, from the npm registry. It is the only
// real VS Code that runs on machines without access to VS Code's download server, so the
// extension-host tests, the UI tests, the benchmark and the demo all start it through here.
// It is installed on demand into a git-ignored cache folder, never into the project's own
// dependencies, because it weighs ~300 MB and builds native modules.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest code-server that installs on Node 20; it bundles VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerCacheDir = join(repoRoot, '.cache', 'code-server');
const installedMarker = join(codeServerCacheDir, `.installed-${CODE_SERVER_VERSION}`);
const codeServerEntry = join(codeServerCacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

// @vscode/ripgrep (a dependency of VS Code) downloads rg from GitHub at install time, which is
// unreachable here; it first looks for this archive in its cache, so Debian's rg is put there.
const RIPGREP_CACHE_NAME = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function log(message: string): void {
  process.stderr.write(`[code-server] ${message}\n`);
}

/** A descriptor appending to `file`, for a child's output (closed when this process ends). */
function appendTo(file: string): number {
  return openSync(file, 'a');
}

function requireCommand(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(
      `'${command}' is missing (Debian package ${debianPackage}). Run: bash scripts/install-system-packages.sh`,
    );
  }
  return path;
}

function seedRipgrepCache(): void {
  const rg = requireCommand('rg', 'ripgrep');
  const cacheDir = join(tmpdir(), RIPGREP_CACHE_NAME);
  const archive = join(cacheDir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-stage-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    const tar = spawnSync('tar', ['-czf', archive, '-C', staging, 'rg'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`could not write ${archive} (tar exited ${tar.status})`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Returns the path of code-server's entry script, installing code-server first if needed. */
/** Installs code-server into .cache/ once. With `logFile`, npm's output goes there instead of the terminal. */
/** Whether code-server is already installed in .cache/ (ensureCodeServer then costs nothing). */
export function codeServerInstalled(): boolean {
  return existsSync(installedMarker) && existsSync(codeServerEntry);
}

export function ensureCodeServer(options: { logFile?: string } = {}): string {
  if (existsSync(installedMarker) && existsSync(codeServerEntry)) return codeServerEntry;
  // Its postinstall compiles native modules (kerberos, node-pty); say what is missing up front
  // rather than after a minute of npm output.
  requireCommand('pkg-config', 'pkg-config');
  requireCommand('make', 'make');
  requireCommand('g++', 'g++');
  requireCommand('python3', 'python3');
  const krb = spawnSync('sh', ['-c', 'pkg-config --exists krb5-gssapi'], { encoding: 'utf8' });
  if (krb.status !== 0) {
    throw new Error(
      'libkrb5-dev is missing (code-server builds the kerberos module). Run: bash scripts/install-system-packages.sh',
    );
  }
  seedRipgrepCache();
  mkdirSync(codeServerCacheDir, { recursive: true });
  const packageJson = join(codeServerCacheDir, 'package.json');
  if (!existsSync(packageJson)) {
    writeFileSync(packageJson, JSON.stringify({ name: 'code-server-cache', private: true }, null, 2) + '\n');
  }
  log(`installing code-server@${CODE_SERVER_VERSION} into ${codeServerCacheDir} (about a minute, ~300 MB) ...`);
  const started = Date.now();
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: codeServerCacheDir,
      stdio:
        options.logFile === undefined ? 'inherit' : ['ignore', appendTo(options.logFile), appendTo(options.logFile)],
      env: {
        ...process.env,
        // The postinstall refuses to run as root without this.
        npm_config_unsafe_perm: 'true',
        // node-pty runs `npx node-gyp`, which would wait at a prompt without this.
        npm_config_yes: 'true',
      },
    },
  );
  if (install.status !== 0 || !existsSync(codeServerEntry)) {
    throw new Error(
      `installing code-server@${CODE_SERVER_VERSION} failed (npm exited ${install.status}). ` +
        `See the npm output ${options.logFile === undefined ? 'above' : `in ${options.logFile}`}; the usual cause is a missing Debian package (scripts/install-system-packages.sh).`,
    );
  }
  writeFileSync(installedMarker, new Date().toISOString() + '\n');
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerEntry;
}

/** A loopback port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

export interface CodeServerOptions {
  /** Folder the workbench opens by default. */
  readonly workspace: string;
  /**
   * The user's settings, written before start where code-server's (remote) window reads them: a
   * setting package.json declares machine-scoped to Machine/settings.json (the "Remote" tab), the
   * rest to User/settings.json. See writeCodeServerSettings.
   */
  readonly userSettings?: Record<string, unknown>;
  /**
   * Settings written to both tabs, User and Machine, whatever their scope: what the workbench
   * itself reads on either side, such as `remote.extensionKind` (the browser-host tests).
   */
  readonly bothTabsSettings?: Record<string, unknown>;
  /** .vsix files (or extension ids) installed into the throwaway extensions folder first. */
  readonly installExtensions?: readonly string[];
  /** Extra environment for the server and its extension host. */
  readonly env?: Record<string, string>;
  /** Keep the user-data and extensions folders under this directory instead of a temp one. */
  readonly stateDir?: string;
  /** Port to listen on; a free one is picked when missing. */
  readonly port?: number;
  /** How long to wait for the server to answer. */
  readonly startTimeoutMs?: number;
  /**
   * Keep workspace trust on, as a user's window has it (the Restricted Mode test); off by default
   * so the other tests are not stopped by the trust prompt.
   */
  readonly workspaceTrust?: boolean;
  /** Written to User/keybindings.json before start. */
  readonly userKeybindings?: readonly { readonly key: string; readonly command: string; readonly args?: unknown }[];
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly pid: number;
  /** Ends the server's whole process group and removes the throwaway folders it created. */
  close(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic for tests and demos. */
export const quietWorkbenchSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'chat.disableAIFeatures': true,
};

function baseArgs(port: number, userDataDir: string, extensionsDir: string, workspaceTrust: boolean): string[] {
  return [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
}

/** Installs a .vsix (or marketplace id) into an extensions folder with code-server's own CLI. */
export function installExtension(entry: string, userDataDir: string, extensionsDir: string, extension: string): void {
  const result = spawnSync(
    process.execPath,
    [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', extension],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `code-server --install-extension ${extension} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/** The settings this extension declares machine-scoped in package.json (scope "machine" or "machine-overridable"). */
export function machineScopedSettings(): Set<string> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes?: {
      configuration?:
        | { properties?: Record<string, { scope?: string }> }
        | Array<{ properties?: Record<string, { scope?: string }> }>;
    };
  };
  const sections = [manifest.contributes?.configuration ?? []].flat();
  const names = sections.flatMap((section) => Object.entries(section.properties ?? {}));
  return new Set(
    names
      .filter(([, declared]) => declared.scope === 'machine' || declared.scope === 'machine-overridable')
      .map(([name]) => name),
  );
}

/**
 * Writes settings where a code-server window reads them. Its window is a remote one: a
 * machine-scoped setting is read from <user-data>/Machine/settings.json (the "Remote" tab), and
 * its value in User/settings.json is ignored there; every other setting goes to User/settings.json.
 * Each file keeps what it held, the given values written over it.
 */
export function writeCodeServerSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const machineScoped = machineScopedSettings();
  const byFile: Record<'User' | 'Machine', Record<string, unknown>> = { User: {}, Machine: {} };
  for (const [name, value] of Object.entries(settings))
    byFile[machineScoped.has(name) ? 'Machine' : 'User'][name] = value;
  for (const [folder, values] of Object.entries(byFile)) {
    const settingsFile = join(userDataDir, folder, 'settings.json');
    mkdirSync(dirname(settingsFile), { recursive: true });
    const existing: Record<string, unknown> = existsSync(settingsFile)
      ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(settingsFile, JSON.stringify({ ...existing, ...values }, null, 2) + '\n');
  }
}

/** Starts code-server on loopback in its own process group, with throwaway state folders. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const entry = ensureCodeServer();
  const ownsState = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'sectigo-code-server-'));
  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  writeCodeServerSettings(userDataDir, {
    ...quietWorkbenchSettings,
    ...(options.workspaceTrust === true ? { 'security.workspace.trust.enabled': true } : {}),
    ...options.userSettings,
  });
  for (const folder of ['User', 'Machine']) {
    if (options.bothTabsSettings === undefined) break;
    const settingsFile = join(userDataDir, folder, 'settings.json');
    const existing = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...existing, ...options.bothTabsSettings }, null, 2) + '\n');
  }
  if (options.userKeybindings !== undefined) {
    writeFileSync(
      join(userDataDir, 'User', 'keybindings.json'),
      JSON.stringify(options.userKeybindings, null, 2) + '\n',
    );
  }
  for (const extension of options.installExtensions ?? []) {
    installExtension(entry, userDataDir, extensionsDir, extension);
  }

  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [entry, ...baseArgs(port, userDataDir, extensionsDir, options.workspaceTrust === true), options.workspace],
    {
      // Its own process group, so the file watchers and extension host it forks end with it.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start (no pid)');
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    killGroup(pid, 'SIGTERM');
    if (!(await waitForExit(child, 5000)) || isAlive(pid)) killGroup(pid, 'SIGKILL');
    // Helpers may outlive the leader for a moment; make sure none of the group is left.
    killGroup(pid, 'SIGKILL');
    if (ownsState) rmSync(stateDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `code-server exited before it answered (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`,
        );
      }
      try {
        const response = await fetch(`${url}/healthz`);
        if (response.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        throw new Error(
          `code-server did not answer on ${url} within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`,
        );
      }
      await new Promise((wait) => setTimeout(wait, 200));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, port, userDataDir, extensionsDir, pid, close };
}

/** Runs the cleanups once on Ctrl-C, SIGTERM or an uncaught error, then exits. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  let running = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (running) return;
    running = true;
    log(`${signal}: stopping ...`);
    cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    process.off('SIGHUP', handler);
  };
}

// `node --import tsx scripts/vscode/code-server.ts install` installs it ahead of time.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'install') {
    process.stdout.write(ensureCodeServer() + '\n');
  } else {
    process.stderr.write('usage: node --import tsx scripts/vscode/code-server.ts install\n');
    process.exit(2);
  }
}
