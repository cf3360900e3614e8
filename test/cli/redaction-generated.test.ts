// The command line against a server that echoes the password in encodings the suite generates
// (fast-check, test/support/secret-views.ts): several chains of one or two encodings, of the whole
// password or pieces of it, in an API error message, another field of the answer, a JSON or form
// answer, or a web page. Every byte printed (text and --json, standard output and standard error,
// SECTIGO_CSR_DEBUG on), the bulk journal and every file left in the folder are searched for any
// run of six of its characters in any view a decoder can read. A failure prints its seed:
// FC_SEED=<seed> FC_PATH=<path> replays it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runCli, type CliRun } from './run-cli';
import { startEchoServer, type EchoServer, type ProgrammedAnswer } from '../fake-sectigo/echo-server';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { ExitCode } from '../../src/cli/io';
import {
  applyChain,
  chainArbitrary,
  describeChain,
  findSecret,
  LEAK_FRAGMENT,
  propertyOptions,
  strongPasswordArbitrary,
  type Step,
} from '../support/secret-views';

/** Generated cases per run of the suite (each runs the command line five times). */
const RUNS = 10;

let echo: EchoServer;
let dir: string;
before(async () => {
  echo = await startEchoServer();
  dir = mkdtempSync(join(tmpdir(), 'redaction-generated-'));
  writeFileSync(join(dir, 'new.csr'), await makeCsrPem({ kind: 'ec', curve: 'P-256' }));
  writeFileSync(join(dir, 'list.txt'), '1001\n1002\n');
});
after(async () => {
  await echo.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One echo: a chain, and which piece of the password (by start and length, taken modulo the password's). */
const echoArbitrary = fc.record({ chain: chainArbitrary, start: fc.nat(), extra: fc.nat(), whole: fc.boolean() });
type Echo = { chain: Step[]; start: number; extra: number; whole: boolean };

function pieceOf(password: string, { start, extra, whole }: Echo): string {
  const characters = Array.from(password);
  if (whole) return password;
  const from = start % (characters.length - LEAK_FRAGMENT + 1);
  const length = LEAK_FRAGMENT + (extra % (characters.length - from - LEAK_FRAGMENT + 1));
  return characters.slice(from, from + length).join('');
}

const SHAPES = ['message', 'field', 'json', 'form', 'page'] as const;

function answerWith(shape: (typeof SHAPES)[number], message: string): ProgrammedAnswer {
  switch (shape) {
    case 'message':
      return { body: `-16\n${message}\n` };
    case 'field':
      return { body: `-16\nLogin refused\nrequest ${message}\n` };
    case 'json':
      return { contentType: 'application/json', body: JSON.stringify({ errorCode: -16, errorMessage: message }) };
    case 'form':
      return {
        contentType: 'application/x-www-form-urlencoded',
        body: `errorCode=-16&errorMessage=${encodeURIComponent(message)}`,
      };
    case 'page':
      return { status: 502, contentType: 'text/html', body: `<html><body><pre>${message}</pre></body></html>` };
  }
}

/** Every file under `folder`, as UTF-8 and as Latin-1 (a byte of another encoding shows either way). */
function filesUnder(folder: string): Array<[string, string]> {
  return readdirSync(folder).flatMap((name): Array<[string, string]> => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    const bytes = readFileSync(path);
    return [
      [`${name} (UTF-8)`, bytes.toString('utf8')],
      [`${name} (Latin-1)`, bytes.toString('latin1')],
    ];
  });
}

test('nothing of the password, in any view, in anything the command line prints or stores, whatever the server echoes', async () => {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(
      strongPasswordArbitrary,
      fc.array(echoArbitrary, { minLength: 1, maxLength: 4 }),
      fc.constantFrom(...SHAPES),
      async (password, echoes, shape) => {
        const message = echoes
          .map((one, index) => `echo ${index}: ${applyChain(one.chain, pieceOf(password, one))}`)
          .join(' | ');
        const chains = echoes.map((one) => describeChain(one.chain)).join(' | ');
        // What the server sends holds the password: otherwise the case would prove nothing.
        assert.notDeepEqual(findSecret(message, password, 'fragments'), [], `unreadable: ${chains}`);
        const baseUrl = echo.program(() => answerWith(shape, message));
        const env = { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: password, SECTIGO_CSR_DEBUG: '1' };
        const journal = join(dir, `case-${cases++}.journal.jsonl`);
        const runs: Array<[string, string[]]> = [
          ['revoke', ['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', baseUrl]],
          ['revoke --json', ['revoke', '--order', '1', '--reason', 'x', '--test', '--json', '--base-url', baseUrl]],
          ['replace', ['replace', '--order', '1', '--csr', 'new.csr', '--yes', '--base-url', baseUrl]],
          ['replace --json', ['replace', '--order', '1', '--csr', 'new.csr', '--yes', '--json', '--base-url', baseUrl]],
          [
            'revoke --from',
            ['revoke', '--from', 'list.txt', '--reason', 'x', '--test', '--journal', journal, '--base-url', baseUrl],
          ],
        ];
        // Everything printed and stored, searched at once (one search of all is as strong as one of
        // each, each part kept apart by a blank line).
        const everything: string[] = [];
        for (const [name, args] of runs) {
          const result: CliRun = await runCli(args, { cwd: dir, env });
          assert.ok(
            result.code === ExitCode.apiError || result.code === ExitCode.transport,
            `${name}: exit ${result.code}\n${result.printed}`,
          );
          if (name.endsWith('--json')) JSON.parse(result.stdout);
          everything.push(`${name}, standard output:\n${result.stdout}`, `${name}, standard error:\n${result.stderr}`);
        }
        // The files the command line wrote (the journal, anything else): not the request and list it read.
        for (const [file, text] of filesUnder(dir))
          if (!/^(new\.csr|list\.txt) /.test(file)) everything.push(`${file}:\n${text}`);
        const all = everything.join('\n\n');
        assert.deepEqual(findSecret(all, password, 'fragments'), [], `${shape}, ${chains}:\n${all}`);
        rmSync(journal, { force: true });
      },
    ),
    propertyOptions(RUNS),
  );
});
