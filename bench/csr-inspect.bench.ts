// npm run bench: 1,000 RSA-2048 requests inspected by one sectigo-csr process
// (dist/cli.js) against 1,000 runs of `openssl req -noout -text -verify`, plus the
// in-process time per request, signature check included. Prints figures only.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseCsrText, isCsrReport } from '../src/core/csr/index';
import { buildRequest, emailOid, sanEmail, sanExtension, spkiOf, toPemText } from '../test/core/csr/build-csr';

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
  return toPemText(buildRequest({
    subject: [['2.5.4.6', 'GB'], ['2.5.4.10', 'Example Ltd'], ['2.5.4.3', `User ${i}`], [emailOid, mailbox]],
    spki: spkiOf(key.publicKey),
    privateKey: key.privateKey,
    extensions: [sanExtension([sanEmail(mailbox)])],
  }));
});
const dir = mkdtempSync(join(tmpdir(), 'csr-bench-'));
const files = pems.map((pem, i) => {
  const file = join(dir, `request-${String(i).padStart(4, '0')}.csr`);
  writeFileSync(file, pem);
  return file;
});

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

try {
  // One sectigo-csr process over all files (process start included).
  let start = process.hrtime.bigint();
  const ours = spawnSync(process.execPath, [cli, 'inspect', '--json', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
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
    if (!result || !isCsrReport(result) || result.signature.valid !== true) throw new Error('a benchmark request did not verify');
  }
  perRequest.sort((a, b) => a - b);
  const median = perRequest[Math.floor(perRequest.length / 2)] as number;
  const p95 = perRequest[Math.floor(perRequest.length * 0.95)] as number;

  const row = (label: string, total: number, n: number): string =>
    `${label.padEnd(44)}${total.toFixed(2).padStart(8)} s${((total / n) * 1000).toFixed(3).padStart(10)} ms/file`;
  process.stdout.write([
    `CSR inspection, ${count} RSA-2048 requests (signature check included)`,
    row(`sectigo-csr inspect --json, 1 process`, oursSeconds, inspected),
    row(`openssl req -noout -text -verify, ${count} runs`, opensslSeconds, count),
    `${'ratio (openssl / sectigo-csr, per file)'.padEnd(44)}${(opensslSeconds / count / (oursSeconds / inspected)).toFixed(1).padStart(8)} x`,
    `${'in process, per request: median'.padEnd(44)}${median.toFixed(3).padStart(8)} ms`,
    `${'in process, per request: 95th percentile'.padEnd(44)}${p95.toFixed(3).padStart(8)} ms`,
    `(openssl verified ${opensslOk}/${count}; node ${process.version}; ${spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim()})`,
    '',
  ].join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
