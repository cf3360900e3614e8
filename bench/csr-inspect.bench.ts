// npm run bench: 1,000 RSA-2048 requests inspected by one sectigo-csr process
// (dist/cli.js) against 1,000 runs of `openssl req -noout -text -verify`, plus the
// in-process time per request, signature check included. Prints figures only.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseCsrText, isCsrReport, maxInputLength } from '../src/core/csr/index';
import {
  buildRequest,
  emailOid,
  octetString,
  oid,
  rsaSpki,
  sanEmail,
  sanExtension,
  sequence,
  set,
  spkiOf,
  tlv,
  toPemText,
} from '../test/core/csr/build-csr';

const count = 1000;
const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('dist/cli.js is missing: run `npm run build` first.\n');
  process.exit(2);
}

// Distinct requests (ten keys, a thousand subjects), as a CI job would see them.
const keys = Array.from({ length: 10 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const pems = Array.from({ length: count }, (_, i) => {
  const key = keys[i % keys.length] as (typeof keys)[number];
  const mailbox = `user${i}@example.com`;
  return toPemText(
    buildRequest({
      subject: [
        ['2.5.4.6', 'GB'],
        ['2.5.4.10', 'Example Ltd'],
        ['2.5.4.3', `User ${i}`],
        [emailOid, mailbox],
      ],
      spki: spkiOf(key.publicKey),
      privateKey: key.privateKey,
      extensions: [sanExtension([sanEmail(mailbox)])],
    }),
  );
});
const dir = mkdtempSync(join(tmpdir(), 'csr-bench-'));
const files = pems.map((pem, i) => {
  const file = join(dir, `request-${String(i).padStart(4, '0')}.csr`);
  writeFileSync(file, pem);
  return file;
});

// Hostile requests as large as the input cap allows, each built to make one part of the
// reader work hardest. Linear time shows as the same ms/MB at 1 MiB and at 4 MiB.
const hostileKey = keys[0] as (typeof keys)[number];
const sequenceOf = (list: Uint8Array[]): Uint8Array => tlv(0x30, Buffer.concat(list));
function hostileRequest(size: number, values: (room: number) => Uint8Array[]): Uint8Array {
  const list = values(size - 1500);
  if (list.length === 0) {
    // No extensions: the room goes to the public exponent, with a real 2048-bit modulus.
    const jwk = hostileKey.publicKey.export({ format: 'jwk' });
    const modulus = BigInt(`0x${Buffer.from(jwk.n as string, 'base64url').toString('hex')}`);
    const exponent = BigInt(`0x7${'f'.repeat((size - 1500) * 2 - 1)}`);
    return buildRequest({ spki: rsaSpki(modulus, exponent), privateKey: hostileKey.privateKey });
  }
  const extensions = sequence(oid('1.2.840.113549.1.9.14'), set(sequenceOf(list)));
  return buildRequest({
    spki: spkiOf(hostileKey.publicKey),
    privateKey: hostileKey.privateKey,
    rawAttributes: [extensions],
  });
}
function nested(room: number): Uint8Array {
  // SEQUENCEs inside SEQUENCEs, each with a 4-octet length: as many levels as fit.
  const depth = Math.floor(room / 6);
  const out = Buffer.alloc(depth * 6 + 2);
  for (let level = 0; level < depth; level += 1) {
    const inner = (depth - level - 1) * 6 + 2;
    out.set([0x30, 0x84, inner >>> 24, (inner >>> 16) & 255, (inner >>> 8) & 255, inner & 255], level * 6);
  }
  out.set([0x05, 0x00], depth * 6);
  return out;
}
const hostileCases: Record<string, (room: number) => Uint8Array[]> = {
  'one OID arc filling the request': (room) => [
    sequence(
      tlv(0x06, Buffer.concat([Uint8Array.of(0x2b), Buffer.alloc(room - 20, 0xff), Uint8Array.of(1)])),
      octetString(Uint8Array.of(5, 0)),
    ),
  ],
  'one OID of a million arcs': (room) => [
    sequence(tlv(0x06, Buffer.alloc(room - 20, 0x01)), octetString(Uint8Array.of(5, 0))),
  ],
  'the same extension repeated': (room) =>
    Array.from({ length: Math.floor(room / 11) }, () => sequence(oid('2.5.29.37'), octetString(Uint8Array.of(5, 0)))),
  'a SAN of a million names': (room) => [
    sequence(
      oid('2.5.29.17'),
      octetString(
        sequenceOf(Array.from({ length: Math.floor((room - 40) / 4) }, () => tlv(0x82, Uint8Array.of(0x61, 0x62)))),
      ),
    ),
  ],
  'an extension value nested to the end': (room) => [sequence(oid('1.2.3.4'), octetString(nested(room - 40)))],
  'an RSA exponent filling the request': () => [],
  'an extension value of two million NULLs': (room) => [
    sequence(
      oid('1.2.3.4'),
      octetString(sequenceOf(Array.from({ length: Math.floor((room - 40) / 2) }, () => Uint8Array.of(5, 0)))),
    ),
  ],
};
function timeOnce(der: Uint8Array): number {
  const start = process.hrtime.bigint();
  const [result] = analyseCsrText(der);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result === undefined || (!isCsrReport(result) && result.code === 'internal-error'))
    throw new Error('a hostile request broke the analysis');
  return elapsed;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

try {
  // One sectigo-csr process over all files (process start included).
  let start = process.hrtime.bigint();
  const ours = spawnSync(process.execPath, [cli, 'inspect', '--json', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const oursSeconds = seconds(start);
  if (ours.status !== 0) throw new Error(`sectigo-csr exited ${ours.status}: ${ours.stderr.slice(0, 300)}`);
  const inspected = (JSON.parse(ours.stdout) as unknown[]).length;

  // One openssl process per file, as a shell loop in CI would run it.
  start = process.hrtime.bigint();
  let opensslOk = 0;
  for (const file of files) {
    const result = spawnSync('openssl', ['req', '-noout', '-text', '-verify', '-in', file], { encoding: 'utf8' });
    if (result.error) throw new Error(`openssl could not be run: ${result.error.message}`);
    if (result.status === 0) opensslOk += 1;
  }
  const opensslSeconds = seconds(start);

  // In process: the analysis alone, per request, signature check included.
  for (const pem of pems.slice(0, 100)) analyseCsrText(pem); // warm-up
  const perRequest: number[] = [];
  for (const pem of pems) {
    const t = process.hrtime.bigint();
    const [result] = analyseCsrText(pem);
    perRequest.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!result || !isCsrReport(result) || result.signature.valid !== true)
      throw new Error('a benchmark request did not verify');
  }
  perRequest.sort((a, b) => a - b);
  const median = perRequest[Math.floor(perRequest.length / 2)] as number;
  const p95 = perRequest[Math.floor(perRequest.length * 0.95)] as number;

  const hostileRows: string[] = [];
  let worst = { label: '', ms: 0, bytes: 0 };
  for (const [label, values] of Object.entries(hostileCases)) {
    const small = hostileRequest(maxInputLength / 4, values);
    const large = hostileRequest(maxInputLength, values);
    if (large.length > maxInputLength) throw new Error(`${label}: ${large.length} bytes is over the input cap`);
    const smallMs = Math.min(timeOnce(small), timeOnce(small));
    const largeMs = Math.min(timeOnce(large), timeOnce(large));
    const perMb = (ms: number, bytes: number): string => (ms / (bytes / 1048576)).toFixed(1).padStart(7);
    hostileRows.push(
      `  ${label.padEnd(42)}${largeMs.toFixed(1).padStart(8)} ms${perMb(largeMs, large.length)} ms/MB (1 MiB:${perMb(smallMs, small.length)} ms/MB)`,
    );
    if (largeMs > worst.ms) worst = { label, ms: largeMs, bytes: large.length };
  }

  const row = (label: string, total: number, n: number): string =>
    `${label.padEnd(44)}${total.toFixed(2).padStart(8)} s${((total / n) * 1000).toFixed(3).padStart(10)} ms/file`;
  process.stdout.write(
    [
      `CSR inspection, ${count} RSA-2048 requests (signature check included)`,
      row(`sectigo-csr inspect --json, 1 process`, oursSeconds, inspected),
      row(`openssl req -noout -text -verify, ${count} runs`, opensslSeconds, count),
      `${'ratio (openssl / sectigo-csr, per file)'.padEnd(44)}${(opensslSeconds / count / (oursSeconds / inspected)).toFixed(1).padStart(8)} x`,
      `${'in process, per request: median'.padEnd(44)}${median.toFixed(3).padStart(8)} ms`,
      `${'in process, per request: 95th percentile'.padEnd(44)}${p95.toFixed(3).padStart(8)} ms`,
      `Hostile requests at the 4 MiB input cap (best of 2; equal ms/MB at 1 and 4 MiB means linear time):`,
      ...hostileRows,
      `${'worst case constructed'.padEnd(44)}${worst.ms.toFixed(1).padStart(8)} ms for ${worst.bytes.toLocaleString('en-US')} bytes (${worst.label})`,
      `(openssl verified ${opensslOk}/${count}; node ${process.version}; ${spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim()})`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
