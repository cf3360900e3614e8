// The analysis's A-labels (the WHATWG URL parser), SM2 verdicts (@noble/curves) and small prime
// factors (our WebAssembly module) in a real browser: core's browser entry bundled with the browser
// build's own options (no Node built-in) runs in a web worker of Debian's headless Chromium, and must
// give Node's findings and verdicts, message for message, on IDN requests (valid and refused
// labels), SM2 requests (as signed and tampered with) and weak keys (small factors at and past the
// bound, a sparse modulus); Node's A-label or refusal on every domain of the IDN cases; and the
// small-factor answers from the WebAssembly module itself, not from the BigInt fallback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/vscode/browser';
import { browserBuildOptions } from '../../scripts/browser-build.mjs';
import { analyseCsrText, rsaModulusOf } from '../../src/core/csr/index';
import { isCsrReport } from '../../src/core/csr/types';
import { IDN_CASES, idnFixture } from '../core/csr/idn-cases';

const root = join(__dirname, '..', '..');
let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser.close();
});

function fixtureDer(name: string): Uint8Array {
  const pem = readFileSync(join(root, 'test', 'fixtures', 'csr', `${name}.csr`), 'latin1');
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function weakKey(name: string): Uint8Array {
  const pem = readFileSync(join(root, 'test', 'fixtures', 'weak-keys', `${name}.csr`), 'latin1');
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function tampered(der: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(der);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1;
  return copy;
}

test('the browser build gives Node’s A-labels, IDN findings, SM2 verdicts and weak-key findings, its WebAssembly module running, in a web worker of Chromium', async () => {
  const options = browserBuildOptions({ production: true });
  const built = await esbuild.build({
    ...options,
    entryPoints: [join(root, 'test', 'ui', 'browser-analysis-worker.ts')],
    outdir: undefined,
    format: 'iife',
    write: false,
    sourcemap: false,
    legalComments: 'none',
    absWorkingDir: root,
  });
  const code = built.outputFiles?.[0]?.text ?? '';
  assert.ok(code.length > 10_000);

  const requests = [
    idnFixture('bücher'),
    idnFixture('bü\u200dr'),
    fixtureDer('ec-SM2'),
    fixtureDer('ec-SM2-default-id'),
    tampered(fixtureDer('ec-SM2')),
    weakKey('small-factor-757'),
    weakKey('small-factor-65537'),
    weakKey('small-factor-65539'),
    weakKey('polynomial-pattern'),
    fixtureDer('rsa-2048'),
  ];
  // The RSA moduli of the last five, as Node reads them: factors up to 65537 in the first two only.
  const moduli = requests.slice(5).map((der) => {
    const [report] = analyseCsrText(der).filter(isCsrReport);
    const modulus = report === undefined ? null : rsaModulusOf(report);
    assert.ok(modulus !== null);
    return modulus.toString(16);
  });
  const domains = IDN_CASES.map(([domain]) => domain);
  const page = await browser.newPage();
  try {
    const answer = await page.evaluate(
      ({ code, requests, domains, moduli }) =>
        new Promise<unknown>((resolve) => {
          const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
          worker.onmessage = (event) => resolve(event.data);
          worker.onerror = (event) => resolve({ error: event.message });
          worker.postMessage({ requests, domains, moduli });
        }),
      { code, requests: requests.map((der) => [...der]), domains, moduli },
    );
    const browserSaid = answer as {
      reports: unknown[];
      ascii: Array<string | null>;
      wasm: Array<boolean | null>;
      division: Array<boolean | null>;
      error?: string;
    };
    assert.equal(browserSaid.error, undefined);

    assert.deepEqual(
      browserSaid.ascii,
      IDN_CASES.map(([, ascii]) => ascii),
    );
    const nodeSaid = requests.map((der) => {
      const [report] = analyseCsrText(der).filter(isCsrReport);
      return {
        valid: report?.signature.valid ?? 'no report',
        findings: (report?.findings ?? []).map(({ code, severity, message }) => ({ code, severity, message })),
      };
    });
    assert.deepEqual(browserSaid.reports, nodeSaid);
    // The cases say what they should: two valid SM2 requests, then one tampered with.
    assert.deepEqual(
      nodeSaid.slice(2, 5).map((report) => report.valid),
      [true, true, false],
    );
    const messages = nodeSaid.map((report) => report.findings.map((finding) => finding.message).join('\n'));
    assert.match(messages[0] ?? '', /xn--bcher-kva\.example/);
    assert.match(messages[1] ?? '', /not a valid internationalised domain name/);
    // The weak keys say what they should, and the module answered in the worker (null: it did not run).
    assert.deepEqual(
      nodeSaid
        .slice(5)
        .map((report) => report.findings.map((finding) => finding.code).filter((code) => code.startsWith('rsa-'))),
      [['rsa-small-factor'], ['rsa-small-factor'], [], ['rsa-modulus-polynomial-pattern'], []],
    );
    assert.deepEqual(browserSaid.wasm, [true, true, false, false, false]);
    // The same from the product divided by BigInt and the module's gcd (the first moduli of a process).
    assert.deepEqual(browserSaid.division, [true, true, false, false, false]);
  } finally {
    await page.close();
  }
});
