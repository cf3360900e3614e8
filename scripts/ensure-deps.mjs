// The first step of `npm test` and `npm run demo`, so both work right after `git clone`: runs
// `npm ci` when node_modules is missing or no longer matches package-lock.json. Plain Node with
// no dependencies of its own (it runs before there are any). When nothing changed it costs one
// read and hash of the lock file. Options:
//   --system-packages   also check the Debian packages (scripts/install-system-packages.sh)
//   --log FILE          npm ci's output goes to FILE (appended) instead of the terminal (the demo)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written into node_modules after an install that matched the lock file. */
export const STAMP_NAME = '.sectigo-csr-tools-deps-stamp';
// package-lock.json is about 200 KB; a file a hundred times that is not ours to hash.
const MAX_LOCK_BYTES = 20 * 1024 * 1024;

/** What the stamp records: the lock file's hash and the platform (esbuild's binary is per platform). */
export function lockDigest(root) {
  const lockPath = join(root, 'package-lock.json');
  if (!existsSync(lockPath)) throw new Error(`no package-lock.json in ${root}`);
  const size = lstatSync(lockPath).size;
  if (size > MAX_LOCK_BYTES)
    throw new Error(`package-lock.json is ${size} bytes, more than the ${MAX_LOCK_BYTES} this script reads`);
  const hash = createHash('sha256').update(readFileSync(lockPath)).digest('hex');
  return `${hash} ${process.platform}-${process.arch}\n`;
}

function readJson(path) {
  if (lstatSync(path).size > MAX_LOCK_BYTES) throw new Error(`${path} is too large to read`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Does npm's own record of what it installed (node_modules/.package-lock.json) agree with the lock
 * file? Every locked package must be there at its version, except optional ones (other platforms'
 * binaries), and nothing else may be. Used when there is no stamp yet, e.g. after a manual `npm ci`.
 */
function installedMatchesLock(root) {
  const hiddenLockPath = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hiddenLockPath)) return false;
  let locked;
  let installed;
  try {
    locked = readJson(join(root, 'package-lock.json')).packages ?? {};
    installed = readJson(hiddenLockPath).packages ?? {};
  } catch {
    return false;
  }
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '') continue;
    const present = installed[path];
    if (!present) {
      if (entry.optional || entry.devOptional) continue;
      return false;
    }
    if (present.version !== entry.version || !existsSync(join(root, path))) return false;
  }
  return Object.keys(installed).every((path) => path in locked);
}

/** The direct dependencies' folders, so a deleted package is noticed even when the stamp matches. */
function directDependenciesPresent(root) {
  const manifest = readJson(join(root, 'package.json'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  return names.every((name) => existsSync(join(root, 'node_modules', name, 'package.json')));
}

/**
 * 'current' (stamp matches), 'adoptable' (no matching stamp, but npm's record matches the lock),
 * 'missing' (no node_modules) or 'stale'.
 */
export function dependencyState(root) {
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) return 'missing';
  const stampPath = join(modules, STAMP_NAME);
  const digest = lockDigest(root);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest && directDependenciesPresent(root))
    return 'current';
  return installedMatchesLock(root) ? 'adoptable' : 'stale';
}

/**
 * Brings node_modules in line with the lock file. `install(root)` runs `npm ci` and returns its
 * exit status; it is a parameter so the logic can be tested without installing anything.
 * Returns what was done: 'current', 'adopted', 'installed' or 'skipped'.
 */
export function ensureDependencies(root, { install, log }) {
  const state = dependencyState(root);
  const stampPath = join(root, 'node_modules', STAMP_NAME);
  if (state === 'current') return 'current';
  // A linked node_modules is shared with another checkout: this one neither stamps nor reinstalls it.
  const shared = state !== 'missing' && lstatSync(join(root, 'node_modules')).isSymbolicLink();
  if (state === 'adoptable') {
    if (!shared) writeFileSync(stampPath, lockDigest(root));
    return 'adopted';
  }
  if (shared) {
    log(
      'node_modules is a link to a shared folder and does not match package-lock.json; not reinstalling it from here. Run npm ci where it lives.',
    );
    return 'skipped';
  }
  log(
    state === 'missing'
      ? 'node_modules is missing: running npm ci (once; about half a minute) ...'
      : 'package-lock.json changed since the last install: running npm ci ...',
  );
  const status = install(root);
  if (status !== 0) throw new Error(`npm ci failed (exit ${status}); see its output`);
  if (!installedMatchesLock(root))
    throw new Error('npm ci finished, but node_modules still does not match package-lock.json');
  writeFileSync(stampPath, lockDigest(root));
  return 'installed';
}

function npmCi(root, logFile) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  let stdio = 'inherit';
  if (logFile !== undefined) {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = openSync(logFile, 'a');
    stdio = ['ignore', log, log];
  }
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio,
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

function systemPackages(root, log) {
  if (process.platform !== 'linux') return;
  // Elsewhere than Debian/Ubuntu the same tools are the reader's to install (the script lists them).
  if (spawnSync('sh', ['-c', 'command -v dpkg-query'], { stdio: 'ignore' }).status !== 0) {
    log('not a Debian system: install the tools scripts/install-system-packages.sh lists yourself');
    return;
  }
  const result = spawnSync('bash', [join(root, 'scripts', 'install-system-packages.sh')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the Debian packages are not all installed; see above');
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const log = (message) => process.stderr.write(`[ensure-deps] ${message}\n`);
  try {
    const logAt = process.argv.indexOf('--log');
    const logFile = logAt >= 0 && process.argv[logAt + 1] ? resolve(process.argv[logAt + 1]) : undefined;
    if (logFile !== undefined)
      log(`checking node_modules against package-lock.json (npm's output, if it runs, in ${logFile})`);
    ensureDependencies(root, { install: (dir) => npmCi(dir, logFile), log });
    if (process.argv.includes('--system-packages')) systemPackages(root, log);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
