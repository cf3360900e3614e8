// A request block already in canonical PEM is reported with its own text instead of a PEM written
// anew (input.ts, isCanonicalPemBody): that text is what a replace sends, so it must be exactly the
// PEM written from the decoded bytes. Generated inputs: random bytes as canonical PEM, and every
// way a block can be almost canonical (other line lengths, CRLF, missing padding, stray bits after
// the last byte, spaces, the other label, no final newline), several blocks to a text.
// FC_SEED=<seed> FC_PATH=<path> replays a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyseCsrText, isCsrReport, toPem } from '../../../src/core/csr/index';
import { findRequests, type FoundRequest } from '../../../src/core/csr/input';
import { propertyOptions } from '../../support/secret-views';
import { buildRequest, spkiOf, toPemText } from './build-csr';
import { generateKeyPairSync } from 'node:crypto';

/** The canonical PEM of `bytes`, written here with Node's Buffer: independent of the code under test. */
function referencePem(bytes: Uint8Array, label = 'CERTIFICATE REQUEST'): string {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

type Mutation = (pem: string, bytes: Uint8Array) => string;

const body = (pem: string): { head: string; lines: string[]; tail: string } => {
  const all = pem.split('\n');
  return { head: all[0] as string, lines: all.slice(1, -2), tail: all[all.length - 2] as string };
};

/** Ways a block can be almost canonical: each still decodes to the same bytes (or fails to decode). */
const mutations: Record<string, Mutation> = {
  none: (pem) => pem,
  'other line length': (pem, bytes) => {
    const { head, tail } = body(pem);
    const width = 4 + 4 * ((bytes[0] ?? 0) % 18);
    const lines =
      Buffer.from(bytes)
        .toString('base64')
        .match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
    return `${head}\n${lines.join('\n')}\n${tail}\n`;
  },
  'one line': (pem, bytes) => {
    const { head, tail } = body(pem);
    return `${head}\n${Buffer.from(bytes).toString('base64')}\n${tail}\n`;
  },
  crlf: (pem) => pem.replace(/\n/g, '\r\n'),
  'no final newline': (pem) => pem.slice(0, -1),
  'no padding': (pem) => pem.replace(/=+\n/, '\n'),
  'stray bits': (pem) =>
    pem.replace(/([A-Za-z0-9+/])(=+)\n/, (_all, last: string, padding: string) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const value = alphabet.indexOf(last) | (padding.length === 1 ? 0x1 : 0x4);
      return `${alphabet[value]}${padding}\n`;
    }),
  'trailing space': (pem) => pem.replace(/\n-----END/, ' \n-----END'),
  'space inside': (pem) => pem.replace(/^(-----BEGIN [A-Z ]+-----\n[A-Za-z0-9+/]{10})/, '$1 '),
  'space for the last newline': (pem) => pem.replace(/\n-----END/, ' -----END'),
  'CR for the last newline': (pem) => pem.replace(/\n-----END/, '\r-----END'),
  'blank line': (pem) => pem.replace(/\n-----END/, '\n\n-----END'),
  'leading tab': (pem) => pem.replace(/-----\n/, '-----\n\t'),
  'other label': (pem) => pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST'),
  'mixed labels': (pem) => pem.replace('END CERTIFICATE REQUEST', 'END NEW CERTIFICATE REQUEST'),
  'line break moved': (pem) => pem.replace(/\n([A-Za-z0-9+/])/, '$1\n'),
};

test('a request block reported with its own text holds exactly the canonical PEM of its bytes', () => {
  const block = fc.record({
    bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }),
    mutation: fc.constantFrom(...Object.keys(mutations)),
  });
  fc.assert(
    fc.property(
      fc.array(block, { minLength: 1, maxLength: 4 }),
      fc.constantFrom('', '\n', 'text before\n', '\r\n\r\n'),
      (blocks, separator) => {
        const texts = blocks.map(({ bytes, mutation }) =>
          (mutations[mutation] as Mutation)(referencePem(bytes), bytes),
        );
        const found = findRequests(separator + texts.join(separator));
        const requests = found.filter((one): one is FoundRequest => one.kind === 'request');
        for (const request of requests) {
          if (request.pem !== undefined) assert.equal(request.pem, referencePem(request.der));
        }
        // An untouched canonical block is always recognised (the saving is real, not only safe).
        blocks.forEach(({ bytes, mutation }, i) => {
          if (mutation !== 'none') return;
          const match = requests.find((request) => Buffer.from(request.der).equals(Buffer.from(bytes)));
          assert.ok(match, `block ${i} was found`);
          assert.equal(match.pem, referencePem(bytes), `block ${i} keeps its own text`);
        });
      },
    ),
    propertyOptions(3000),
  );
});

test("a request's reported PEM is the canonical one whatever form the request was given in", () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = buildRequest({
    subject: [['2.5.4.3', 'pem.example.com']],
    spki: spkiOf(key.publicKey),
    privateKey: key.privateKey,
  });
  const canonical = toPemText(der);
  assert.equal(canonical, referencePem(der));
  for (const [name, mutation] of Object.entries(mutations)) {
    const [result] = analyseCsrText(mutation(canonical, der), 'pem.csr');
    assert.ok(result && isCsrReport(result), name);
    assert.equal(result.pem, toPem(der), name);
    assert.equal(result.pem, canonical, name);
  }
});
