// `npm run bench:redact`: what the one redaction point costs, on the text it meets every day (a log
// line, a server message) and on the worst a server can send (1 MiB of text that decodes many ways).
// With `--baseline REV` (a git revision) the redact.ts of that revision runs side by side and each
// row gives the ratio. Times are CPU time (the machine may be shared), the heap column the peak
// growth during the calls. Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../src/core/sectigo/redact';

type Redact = (text: string, secrets?: readonly string[]) => string;
interface Module {
  redactOwnText: Redact;
  redactServerText: Redact;
}

const MiB = 1024 * 1024;
const SECRET = 'Pa55 w&rd+%<"äöZq9€x';
const ASCII_SECRET = 'Tr0ub4dor-and-3';

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Deterministic bytes (a linear congruential generator), so every run measures the same text. */
function noise(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const LOG_LINE =
  '2026-03-01T10:00:00.000Z info revoke order 1000001 at secure.trust-provider.com: Sectigo answered 0 in 412 ms';
const SERVER_MESSAGE = `Invalid value for parameter orderNumber (hex ${Buffer.from('somebody-else').toString('hex')}); see https://sectigo.com/KB/1234 for details.`;
const ECHO = `Login refused for ${Buffer.from(ASCII_SECRET, 'utf16le').toString('base64')} (${encodeURIComponent(SECRET)}).`;

const CASES: Array<{ label: string; text: string; calls: number }> = [
  { label: 'a log line (110 characters)', text: LOG_LINE, calls: 20_000 },
  { label: 'a server message with a hex value (150 characters)', text: SERVER_MESSAGE, calls: 20_000 },
  { label: 'a server message echoing the password twice encoded', text: ECHO, calls: 20_000 },
  {
    label: 'a 70 KB server message (prose)',
    text: repeatTo('The Certificate has already been revoked! ', 70_000),
    calls: 20,
  },
  { label: '1 MiB of prose', text: repeatTo('The quick brown fox jumps over the lazy dog. ', MiB), calls: 3 },
  {
    label: '1 MiB of echoed encodings (percent, entities, \\u, base64)',
    text: repeatTo(`${encodeURIComponent(SECRET)}&amp;\\u0041${Buffer.from(SECRET).toString('base64')} `, MiB),
    calls: 3,
  },
  { label: '1 MiB of hex digits', text: noise(MiB / 2).toString('hex'), calls: 3 },
  { label: '1 MiB of hex dump (hexdump -C lines)', text: hexDump(noise(MiB / 4)).slice(0, MiB), calls: 3 },
  { label: '1 MiB of base64 (random bytes)', text: noise((MiB / 4) * 3).toString('base64'), calls: 3 },
  {
    label: '1 MiB of base64 of base64 of hex',
    text: Buffer.from(Buffer.from(noise(MiB / 4).toString('hex')).toString('base64'))
      .toString('base64')
      .slice(0, MiB),
    calls: 3,
  },
  {
    label: '1 MiB of base64 of UTF-16 of hex',
    text: Buffer.from(noise(MiB / 4).toString('hex'), 'utf16le')
      .toString('base64')
      .slice(0, MiB),
    calls: 3,
  },
  { label: '1 MiB of percent-encoded bytes', text: repeatTo('%C3%A4%25%32%35', MiB), calls: 3 },
  {
    label: '1 MiB of UTF-8 read as Latin-1',
    text: Buffer.from(repeatTo('päßwörd€ ', MiB / 2))
      .toString('latin1')
      .slice(0, MiB),
    calls: 3,
  },
  {
    label: '1 MiB of text with NULs (UTF-16 read as bytes)',
    text: Buffer.from(repeatTo('hello world ', MiB / 2), 'utf16le').toString('latin1'),
    calls: 3,
  },
  { label: '1 MiB of combining marks (NFD)', text: repeatTo('a\u0308o\u0308u\u0308 ', MiB), calls: 3 },
];

function hexDump(bytes: Buffer): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = [...row].map((byte) => byte.toString(16).padStart(2, '0'));
    const ascii = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(
      `${offset.toString(16).padStart(8, '0')}  ${hex.slice(0, 8).join(' ')}  ${hex.slice(8).join(' ')}  |${ascii}|`,
    );
  }
  return lines.join('\n');
}

async function baselineModule(revision: string): Promise<Module> {
  const source = execFileSync('git', ['show', `${revision}:src/core/sectigo/redact.ts`], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'redact-baseline-'));
  const file = join(dir, 'redact.ts');
  // Its relative imports point into this checkout.
  const rewritten = source.replace(/from '\.\.\/([^']+)'/g, (_match, path: string) => {
    return `from ${JSON.stringify(pathToFileURL(resolve('src/core', path)).href)}`;
  });
  writeFileSync(file, rewritten);
  try {
    return (await import(pathToFileURL(file).href)) as Module;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Figure {
  ms: number;
  heapMiB: number;
}

function measure(redact: Redact, text: string, calls: number): Figure {
  redact(text, [SECRET, ASCII_SECRET]);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    redact(text, [SECRET, ASCII_SECRET]);
    if (calls <= 20) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000 / calls;
  return { ms, heapMiB: (peak - before) / MiB };
}

function shown(figure: Figure): string {
  const time = figure.ms < 1 ? `${(figure.ms * 1000).toFixed(1)} µs` : `${figure.ms.toFixed(1)} ms`;
  return `${time.padStart(10)} ${`+${figure.heapMiB.toFixed(1)} MiB`.padStart(10)}`;
}

async function run(): Promise<void> {
  const at = process.argv.indexOf('--baseline');
  const revision = at === -1 ? undefined : process.argv[at + 1];
  const baseline = revision === undefined ? undefined : await baselineModule(revision);
  process.stdout.write(
    `${'text'.padEnd(58)} ${'as'.padEnd(7)} ${'this version (per call, heap)'.padStart(21)}${baseline ? `   baseline ${revision}    ratio` : ''}\n`,
  );
  for (const { label, text, calls } of CASES) {
    for (const kind of ['own', 'server'] as const) {
      const name = kind === 'own' ? 'redactOwnText' : 'redactServerText';
      const now = measure(current[name], text, calls);
      let line = `${label.padEnd(58)} ${kind.padEnd(7)} ${shown(now)}`;
      if (baseline) {
        const then = measure(baseline[name], text, calls);
        line += `   ${shown(then)}  ${(now.ms / then.ms).toFixed(2).padStart(6)}×`;
      }
      process.stdout.write(`${line}\n`);
    }
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
