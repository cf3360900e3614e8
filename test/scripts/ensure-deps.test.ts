// scripts/ensure-deps.mjs: when `npm test` and `npm run demo` run `npm ci` first. A temporary
// project with a made-up lock file; the "install" is a function that writes what npm ci would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dependencyState, ensureDependencies, STAMP_NAME } from '../../scripts/ensure-deps.mjs';

interface Locked {
  version: string;
  optional?: boolean;
}

function project(packages: Record<string, Locked>): string {
  const root = mkdtempSync(join(tmpdir(), 'ensure-deps-'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { left: '^1.0.0' }, devDependencies: { right: '^2.0.0' } }),
  );
  writeLock(root, packages);
  return root;
}

function writeLock(root: string, packages: Record<string, Locked>): void {
  const entries = Object.fromEntries(Object.entries(packages).map(([name, entry]) => [`node_modules/${name}`, entry]));
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'p' }, ...entries } }, null, 2),
  );
}

/** What `npm ci` leaves behind: each non-optional package's folder and npm's own record of them. */
function fakeNpmCi(calls: string[], status = 0) {
  return (root: string): number => {
    calls.push(root);
    if (status !== 0) return status;
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, Locked>;
    };
    rmSync(join(root, 'node_modules'), { recursive: true, force: true });
    const installed: Record<string, Locked> = {};
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || entry.optional) continue;
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, 'package.json'), JSON.stringify({ version: entry.version }));
      installed[path] = entry;
    }
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: installed }));
    return 0;
  };
}

const PACKAGES = {
  left: { version: '1.0.0' },
  right: { version: '2.0.0' },
  'other-platform-binary': { version: '3.0.0', optional: true },
};
const quiet = (): void => undefined;

test('a fresh clone (no node_modules) gets npm ci once; the next run does nothing', (t) => {
  const root = project(PACKAGES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const calls: string[] = [];
  const messages: string[] = [];
  assert.equal(dependencyState(root), 'missing');
  assert.equal(ensureDependencies(root, { install: fakeNpmCi(calls), log: (m) => messages.push(m) }), 'installed');
  assert.deepEqual(calls, [root]);
  assert.match(messages.join('\n'), /node_modules is missing: running npm ci/);
  assert.ok(existsSync(join(root, 'node_modules', STAMP_NAME)));
  assert.equal(ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet }), 'current');
  assert.equal(calls.length, 1, 'an up-to-date tree must not be reinstalled');
});

test('a changed lock file (a pull that bumped a version) gets npm ci again', (t) => {
  const root = project(PACKAGES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const calls: string[] = [];
  ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet });
  writeLock(root, { ...PACKAGES, left: { version: '1.1.0' } });
  assert.equal(dependencyState(root), 'stale');
  assert.equal(ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet }), 'installed');
  assert.equal(calls.length, 2);
  assert.equal(dependencyState(root), 'current');
});

test('a deleted dependency folder is noticed even though the stamp still matches', (t) => {
  const root = project(PACKAGES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const calls: string[] = [];
  ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet });
  rmSync(join(root, 'node_modules', 'right'), { recursive: true });
  assert.equal(dependencyState(root), 'stale');
  ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet });
  assert.equal(calls.length, 2);
});

test('a tree installed by hand (npm ci without the stamp) is adopted without reinstalling', (t) => {
  const root = project(PACKAGES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  fakeNpmCi([])(root);
  const calls: string[] = [];
  assert.equal(dependencyState(root), 'adoptable');
  assert.equal(ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet }), 'adopted');
  assert.deepEqual(calls, []);
  assert.equal(dependencyState(root), 'current');
});

test('a failed npm ci stops the command and leaves no stamp', (t) => {
  const root = project(PACKAGES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.throws(() => ensureDependencies(root, { install: fakeNpmCi([], 1), log: quiet }), /npm ci failed \(exit 1\)/);
  assert.ok(!existsSync(join(root, 'node_modules', STAMP_NAME)));
  // An install that claims success but leaves the tree unlike the lock is not trusted either.
  assert.throws(
    () => ensureDependencies(root, { install: () => 0, log: quiet }),
    /still does not match package-lock.json/,
  );
});

test('a node_modules linked from another checkout is never reinstalled or stamped from here', (t) => {
  const shared = project(PACKAGES);
  const root = project({ ...PACKAGES, left: { version: '9.9.9' } });
  t.after(() => {
    rmSync(shared, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });
  fakeNpmCi([])(shared);
  symlinkSync(join(shared, 'node_modules'), join(root, 'node_modules'));
  const calls: string[] = [];
  const messages: string[] = [];
  assert.equal(ensureDependencies(root, { install: fakeNpmCi(calls), log: (m) => messages.push(m) }), 'skipped');
  assert.deepEqual(calls, []);
  assert.match(messages.join('\n'), /not reinstalling it from here/);
  // Same lock as the shared tree: accepted, but the shared folder gets no stamp from this checkout.
  writeLock(root, PACKAGES);
  assert.equal(ensureDependencies(root, { install: fakeNpmCi(calls), log: quiet }), 'adopted');
  assert.ok(!existsSync(join(shared, 'node_modules', STAMP_NAME)));
});
