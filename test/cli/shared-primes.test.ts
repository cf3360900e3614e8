// `check` and `inspect` over many files also say which requests' RSA keys share a prime (issue 32
// item 4): on both requests, in every output form, counted in the exit status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrimeSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest, rsaKeyFromPrimes, rsaSpki, toPemText } from '../core/csr/build-csr';
import { runCli } from './run-cli';

let scratch = '';
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-shared-'));
  const shared = generatePrimeSync(1024, { bigint: true });
  const [a, b, c, d] = Array.from({ length: 4 }, () => generatePrimeSync(1024, { bigint: true }) as bigint);
  const write = (name: string, p: bigint, q: bigint): void =>
    writeFileSync(
      join(scratch, name),
      toPemText(
        buildRequest({
          subject: [
            ['2.5.4.3', name],
            ['1.2.840.113549.1.9.1', `${name}@example.com`],
          ],
          spki: rsaSpki(p * q, 65537n),
          privateKey: rsaKeyFromPrimes(p, q),
        }),
      ),
    );
  write('alice.csr', shared, a as bigint);
  write('bob.csr', b as bigint, c as bigint);
  write('carol.csr', shared, d as bigint);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test('check names both requests that share a prime, and exits 1', async () => {
  const result = await runCli(['check', 'alice.csr', 'bob.csr', 'carol.csr'], { cwd: scratch });
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 2, result.stdout);
  assert.match(lines[0] ?? '', /^alice\.csr:1:1: error rsa-shared-prime: .*carol\.csr/);
  assert.match(lines[1] ?? '', /^carol\.csr:1:1: error rsa-shared-prime: .*alice\.csr/);
  assert.match(result.stderr, /2 errors,/);
  // Each alone, or beside an unrelated key, is clean.
  const alone = await runCli(['check', 'alice.csr', 'bob.csr'], { cwd: scratch });
  assert.equal(alone.code, 0, alone.stdout);
  assert.equal(alone.stdout, '');
});

test('inspect --json and check --format sarif carry the finding too', async () => {
  const json = await runCli(['inspect', '--json', 'alice.csr', 'bob.csr', 'carol.csr'], { cwd: scratch });
  assert.equal(json.code, 1);
  const parsed = JSON.parse(json.stdout) as { file: string; findings: { code: string }[] }[];
  assert.deepEqual(
    parsed.map((entry) => [entry.file, entry.findings.map((finding) => finding.code)]),
    [
      ['alice.csr', ['rsa-shared-prime']],
      ['bob.csr', []],
      ['carol.csr', ['rsa-shared-prime']],
    ],
  );
  const text = await runCli(['inspect', 'alice.csr', 'bob.csr', 'carol.csr'], { cwd: scratch });
  assert.match(text.stdout, /Across the requests given:\n {2}alice\.csr: error rsa-shared-prime: .*carol\.csr/);
  const sarif = await runCli(['check', '--format', 'sarif', 'alice.csr', 'carol.csr'], { cwd: scratch });
  assert.equal(sarif.code, 1);
  const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.deepEqual(
    log.runs[0]?.results.map((result) => result.ruleId),
    ['rsa-shared-prime', 'rsa-shared-prime'],
  );
});
