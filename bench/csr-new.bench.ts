// npm run bench:csr-new: what `sectigo-csr new` costs per key type (generation, signing and the
// analysis of the result, median of a few runs), side by side with `openssl req -newkey` making
// the same key, and what the 600,000-iteration key encryption costs against Node's own export
// (OpenSSL's 2,048 iterations). Prints figures only.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRequest } from '../src/core/csr-new/generate';
import { privateKeyPem } from '../src/core/csr-new/private-key-pem';
import { keyTypes, subjectFromOptions, type KeyType } from '../src/core/csr-new/subject';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const opensslKey: Record<KeyType, string[]> = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'rsa-3072': ['-newkey', 'rsa:3072'],
  'rsa-4096': ['-newkey', 'rsa:4096'],
  'ec-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ec-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'csr-new-bench-'));
  const subject = subjectFromOptions({ email: 'alice@example.com', cn: 'Alice Example' });
  process.stdout.write(`median of ${runs} runs, milliseconds\n`);
  process.stdout.write(
    `${'key type'.padEnd(10)} ${'ours'.padStart(9)} ${'openssl'.padStart(9)} ${'ratio'.padStart(7)}\n`,
  );
  for (const keyType of keyTypes) {
    const ours: number[] = [];
    const openssl: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      ours.push(await timed(() => generateRequest(subject, keyType, null)));
      openssl.push(
        await timed(() =>
          spawnSync(
            'openssl',
            [
              'req',
              '-new',
              ...opensslKey[keyType],
              '-nodes',
              '-subj',
              '/CN=Alice Example/emailAddress=alice@example.com',
              '-keyout',
              join(dir, `${i}.key`),
              '-out',
              join(dir, `${i}.csr`),
            ],
            { stdio: 'ignore' },
          ),
        ),
      );
    }
    const a = median(ours);
    const b = median(openssl);
    process.stdout.write(
      `${keyType.padEnd(10)} ${a.toFixed(0).padStart(9)} ${b.toFixed(0).padStart(9)} ${(a / b).toFixed(2).padStart(7)}\n`,
    );
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const ours: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    ours.push(await timed(() => privateKeyPem(der, 'bench passphrase')));
    node.push(
      await timed(() =>
        privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'bench passphrase' }),
      ),
    );
  }
  const ourEncryption = median(ours);
  const nodeEncryption = median(node);
  process.stdout.write(
    `\nkey encryption: ours (PBKDF2 600,000) ${ourEncryption.toFixed(0)} ms, Node's export (PBKDF2 2,048) ${nodeEncryption.toFixed(1)} ms, ratio ${(ourEncryption / nodeEncryption).toFixed(0)}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}

void main();
