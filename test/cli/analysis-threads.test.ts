// check and inspect over many files read and analyse them in threads beside the main thread
// (src/cli/analysis-threads.ts): the output is the same as on one thread, byte for byte, in the
// order given, in every form; what a thread sends is what is written; a thread that fails costs
// only time, and says so on standard error. Runs the built command (dist/), whose thread bundle
// the threads load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, generatePrimeSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest, rsaKeyFromPrimes, rsaSpki, spkiOf, toPemText } from '../core/csr/build-csr';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const fixture = (name: string): string => join(root, 'test', 'fixtures', 'csr', name);

let scratch = '';
/** The inputs, in the order given: requests across several blocks, and every kind of trouble. */
let names: string[] = [];

function request(
  name: string,
  key: { publicKey: import('node:crypto').KeyObject; privateKey: import('node:crypto').KeyObject },
): string {
  return toPemText(
    buildRequest({
      subject: [
        ['2.5.4.3', name],
        ['1.2.840.113549.1.9.1', `${name}@example.com`],
      ],
      spki: spkiOf(key.publicKey),
      privateKey: key.privateKey,
    }),
  );
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-threads-'));
  const keys = Array.from({ length: 4 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const shared = generatePrimeSync(1024, { bigint: true });
  const [a, b] = [generatePrimeSync(1024, { bigint: true }), generatePrimeSync(1024, { bigint: true })];
  const sharing = (name: string, q: bigint): string =>
    toPemText(
      buildRequest({
        subject: [['2.5.4.3', name]],
        spki: rsaSpki(shared * q, 65537n),
        privateKey: rsaKeyFromPrimes(shared, q),
      }),
    );
  names = [];
  const add = (name: string, text?: string | Buffer): void => {
    if (text !== undefined) writeFileSync(join(scratch, name), text);
    names.push(name);
  };
  for (let i = 0; i < 100; i += 1) {
    if (i === 5) add('alice-shares.csr', sharing('alice', a));
    if (i === 40) add('missing.csr');
    if (i === 41) {
      mkdirSync(join(scratch, 'a-folder'));
      add('a-folder');
    }
    if (i === 70) add('two.csr', request('first', keys[0] as never) + request('second', keys[1] as never));
    if (i === 90) add('weak-1024.csr', readFileSync(fixture('rsa-1024.csr')));
    if (i === 80) add('not-a-request.csr', 'hello\n');
    if (i === 95) add('carol-shares.csr', sharing('carol', b));
    add(`r${i}.csr`, request(`host${i}`, keys[i % keys.length] as never));
  }
});
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], threads: string, cli = join(dist, 'cli.js'), input?: string): Run {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, SECTIGO_CSR_THREADS: threads },
    input: input ?? '',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Every form goes through the same reading and analysis (src/cli/analyse-files.ts); these three
// are its three consumers: results held back (--json), written as they come, with the bytes (SARIF).
const forms: [string, string[]][] = [
  ['inspect --json', ['inspect', '--json']],
  ['check', ['check']],
  ['check --format sarif', ['check', '--format', 'sarif']],
];

for (const [label, args] of forms) {
  test(`${label} over 107 inputs (four blocks) writes with two threads exactly what one thread writes`, () => {
    const one = run([...args, ...names], '0');
    const threaded = run([...args, ...names], '2');
    // The run has errors of every kind: unreadable inputs (2) decide the status.
    assert.equal(one.status, 2, one.stderr);
    assert.equal(threaded.status, one.status);
    assert.equal(threaded.stdout, one.stdout);
    assert.equal(threaded.stderr, one.stderr);
    assert.doesNotMatch(threaded.stderr, /analysis thread/);
    // The shared prime was found across blocks the threads and the main thread shared out.
    assert.match(one.stdout, /rsa-shared-prime/);
  });
}

test('standard input in the middle of a threaded run is read once, on the main thread, in its place', () => {
  const list = [...names.slice(0, 60), '-', ...names.slice(60)];
  const text = readFileSync(fixture('rsa-1024.csr'), 'utf8');
  const one = run(['inspect', '--json', ...list], '0', undefined, text);
  const threaded = run(['inspect', '--json', ...list], '2', undefined, text);
  assert.equal(threaded.stdout, one.stdout);
  const files = (JSON.parse(threaded.stdout) as { file: string }[]).map((entry) => entry.file);
  assert.equal(files[files.indexOf('<stdin>') - 1], names[59]);
});

/** dist/ copied, with the thread bundle replaced by `source`. */
function distWithThread(source: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'sectigo-csr-threads-dist-'));
  cpSync(dist, copy, { recursive: true });
  writeFileSync(join(copy, 'cli-analysis-thread.js'), source);
  return copy;
}

test('what a thread sends is what is written, in the order given; the main thread analyses blocks too', () => {
  // A planted thread that answers every file with a result of its own making.
  const copy = distWithThread(`
    const { parentPort } = require('node:worker_threads');
    const zero = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };
    parentPort.on('message', (block) => parentPort.postMessage({
      block: block.block,
      inputs: block.files.map((file) => ({ results: [{ file, index: 0, range: zero, code: 'planted', error: 'from the thread' }], moduli: [null], bytes: null })),
    }));
    parentPort.postMessage('ready');`);
  try {
    const threaded = run(['inspect', '--json', ...names], '1', join(copy, 'cli.js'));
    const entries = JSON.parse(threaded.stdout) as { file: string; code?: string }[];
    const fromThread = entries.filter((entry) => entry.code === 'planted').length;
    assert.ok(fromThread > 0, 'no block was analysed by the thread');
    assert.ok(fromThread < entries.length, 'the main thread analysed no block');
    // One entry per file (two for the file with two requests), in the order given.
    const order = entries.map((entry) => entry.file).filter((file, i, all) => all.indexOf(file) === i);
    assert.deepEqual(order, names);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a thread that fails costs only time: its files are analysed on the main thread, and standard error says so once', () => {
  // Ready, then failing at its first block: the blocks it holds are analysed here.
  const copy = distWithThread(`
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { throw new Error('planted failure of the thread'); });
    parentPort.postMessage('ready');`);
  try {
    const one = run(['check', ...names], '0');
    const threaded = run(['check', ...names], '2', join(copy, 'cli.js'));
    assert.equal(threaded.status, one.status);
    assert.equal(threaded.stdout, one.stdout);
    const notes = threaded.stderr.split('\n').filter((line) => /analysis thread failed/.test(line));
    assert.equal(notes.length, 1, threaded.stderr);
    assert.match(notes[0] ?? '', /planted failure of the thread/);
    assert.equal(threaded.stderr.replace(`${notes[0] ?? ''}\n`, ''), one.stderr);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
