// The suite attacks the assistants' outputs itself (issue 29, item 3, for the language-model tools
// and the MCP server): random hostile strings (links, command: URIs, Markdown and HTML, control,
// bidi and separator characters, "::" workflow commands, instructions to the model, 1 MiB) as a
// request's subject, its alternative names, its file's name and a glob, through the tools' rendering
// (core/assistant/render.ts) and the model sink (core/model-text.ts), checked the way a model and
// an MCP client read them:
// - the text, split into lines: the same lines the program writes for a plain value, each
//   beginning with the program's words; every value a quoted string literal that ends where the
//   value ends and reads back as the value (redacted, cut to the model bound, saying so);
// - the data: each value as itself (redacted and cut, nothing escaped); its JSON text parses to it
//   and holds no raw control, bidi or separator character.
// Each property prints its seed and run count; SECTIGO_FC_SEED=<seed> replays a failure.
import 'reflect-metadata';
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { inspectOutcome, type ToolOutcome } from '../../src/core/assistant/outcomes';
import { renderData, renderText } from '../../src/core/assistant/render';
import { runCheck, type CheckFiles } from '../../src/core/assistant/check-run';
import { analyseCsrText, summariseCsr } from '../../src/core/csr/index';
import { isCsrReport, type CsrReport } from '../../src/core/csr/types';
import { OUTSIDE_AT_LINE_START } from '../../src/core/line-text';
import { modelData, modelDataJson, modelToolResult, renderModelText } from '../../src/core/model-text';
import { boundedOutside, cutMarker, outside, proseText, words } from '../../src/core/outside-text';
import { HOSTILE_PIECES, RAW_INVISIBLE, hostileString, hugeHostileString, propertyRun } from '../hostile-text';

/** Runs a property with this run's seed (printed) and a fixed number of runs. */
function check<T extends unknown[]>(t: TestContext, runs: number, property: fc.IPropertyWithHooks<T>): void {
  const options = propertyRun(runs);
  t.diagnostic(`seed ${options.seed}, ${options.numRuns} runs (replay: SECTIGO_FC_SEED=${options.seed})`);
  try {
    fc.assert(property, options);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
    const report = `${error instanceof Error ? error.message : String(error)}${cause}`;
    throw new Error(
      report.replace(/(.{2000}).{200,}?(.{500})/gs, (_, head: string, tail: string) => `${head}…${tail}`),
    );
  }
}

/** What a value should read back as: redacted, cut to the model bound, and the cut said after it. */
function expected(value: string): { kept: string; marker: string } {
  const { kept, left } = boundedOutside(value, 'model');
  return { kept, marker: left > 0 ? cutMarker(left) : '' };
}

/**
 * The string literal that begins `shown` at `from` (a double quote), read as JavaScript reads one:
 * the value it stands for and where it ends. Throws when it does not end on the line.
 */
function readLiteral(shown: string, from: number): { value: string; end: number } {
  assert.equal(shown[from], '"', `a quoted value at ${from}: ${JSON.stringify(shown.slice(from, from + 40))}`);
  let value = '';
  for (let i = from + 1; i < shown.length; i++) {
    const character = shown[i] as string;
    if (character === '"') return { value, end: i + 1 };
    if (character !== '\\') {
      value += character;
      continue;
    }
    const next = shown[i + 1] ?? '';
    const short: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
    if (next in short) {
      value += short[next];
      i++;
    } else if (next === 'x' && /^[0-9a-f]{2}$/.test(shown.slice(i + 2, i + 4))) {
      value += String.fromCharCode(parseInt(shown.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next === 'u' && /^[0-9a-f]{4}$/.test(shown.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(shown.slice(i + 2, i + 6), 16));
      i += 5;
    } else assert.fail(`an escape a string literal does not have: ${JSON.stringify(shown.slice(i, i + 8))}`);
  }
  assert.fail(`the quoted value does not end on its line: ${JSON.stringify(shown.slice(from, from + 80))}`);
}

/** A quoted value at `from` reads back as `value` (redacted, cut, saying so); where the line goes on after it. */
function readBackQuoted(line: string, from: number, value: string): number {
  const { kept, marker } = expected(value);
  const literal = readLiteral(line, from);
  assert.equal(literal.value, kept);
  assert.equal(line.slice(literal.end, literal.end + marker.length), marker, 'the cut is said after the quotes');
  return literal.end + marker.length;
}

const FIXTURE = readFileSync('test/fixtures/csr/rsa-1024.csr');
let report: CsrReport;
before(() => {
  const [first] = analyseCsrText(FIXTURE, 'plain.csr');
  assert.ok(first !== undefined && isCsrReport(first));
  report = first;
});

/** The fixture's request, its subject, alternative names and file name replaced by what the test gives. */
function hostileReport(subject: string, san: string, file: string): CsrReport {
  return {
    ...report,
    file: outside(file),
    subject: { text: outside(subject), parts: [] },
    subjectAltNames: [outside(san), outside('DNS:example.com')],
  };
}

function inspectOf(subject: string, san: string, file: string): ToolOutcome {
  return inspectOutcome({ kind: 'file', name: outside(file), lines: null }, [hostileReport(subject, san, file)], () =>
    outside(`RSA 2048 · ${subject}`),
  );
}

const PLAIN = 'plain';

test('generated: what an inspect tool returns keeps each hostile value in its quotes on the program’s line, and it reads back', (t) => {
  const plainLines = renderModelText(renderText(inspectOf(PLAIN, PLAIN, PLAIN))).split('\n');
  check(
    t,
    200,
    fc.property(hostileString, hostileString, hostileString, (subject, san, file) => {
      const outcome = inspectOf(subject, san, file);
      const text = renderModelText(renderText(outcome));
      assert.doesNotMatch(text, RAW_INVISIBLE);
      const lines = text.split('\n');
      assert.equal(lines.length, plainLines.length, 'the program’s lines and no more');
      lines.forEach((line, index) => {
        const plain = plainLines[index] ?? '';
        // The program's words up to the first value are the same, whatever the values.
        const own = plain.includes('"') ? plain.slice(0, plain.indexOf('"')) : plain;
        assert.ok(
          line.startsWith(own),
          `line ${index} begins with the program's words: ${JSON.stringify(line.slice(0, 120))}`,
        );
      });
      const subjectLine = lines.find((line) => line.startsWith('  Subject:')) ?? '';
      if (subject === '') assert.equal(subjectLine, '  Subject:        (empty)');
      else readBackQuoted(subjectLine, subjectLine.indexOf('"'), subject);
      const sanLine = lines.find((line) => line.startsWith('  Alt names:')) ?? '';
      const afterSan = readBackQuoted(sanLine, sanLine.indexOf('"'), san);
      assert.equal(sanLine.slice(afterSan), ', "DNS:example.com"');
      const first = lines[0] ?? '';
      readBackQuoted(first, 'Sectigo CSR analysis of '.length, file);

      const data = modelData(renderData(outcome)) as {
        source: { name: string };
        requests: { file: string; subject: string; subjectAltNames: string[] }[];
      };
      const whole = (value: string): string => expected(value).kept + expected(value).marker;
      assert.equal(data.source.name, whole(file));
      assert.equal(data.requests[0]?.file, whole(file));
      assert.equal(data.requests[0]?.subject, whole(subject));
      assert.deepEqual(data.requests[0]?.subjectAltNames, [whole(san), 'DNS:example.com']);
      const json = modelDataJson(renderData(outcome));
      assert.doesNotMatch(json, RAW_INVISIBLE);
      assert.deepEqual(JSON.parse(json), data);
    }),
  );
});

test('generated: what a check tool returns names hostile files and a hostile glob in quotes on the program’s lines', async (t) => {
  const options = propertyRun(60);
  t.diagnostic(`seed ${options.seed}, ${options.numRuns} runs (replay: SECTIGO_FC_SEED=${options.seed})`);
  await fc.assert(
    fc.asyncProperty(fc.array(hostileString, { minLength: 1, maxLength: 4 }), hostileString, async (names, glob) => {
      const files: CheckFiles<string> = {
        places: [outside('/work')],
        find: async () => ({ files: names, cut: null }),
        name: (file) => outside(file),
        read: async () => ({ kind: 'ok', input: FIXTURE }),
      };
      const outcome = await runCheck(
        { glob, maxFiles: 10, timeoutSeconds: 60 },
        files,
        {
          analyse: (input, file) => analyseCsrText(input, file),
          summarise: summariseCsr,
        },
        { deadline: Number.POSITIVE_INFINITY, now: () => 0, cancelled: () => false },
      );
      const text = renderModelText(renderText(outcome));
      assert.doesNotMatch(text, RAW_INVISIBLE);
      const first = text.split('\n')[0] ?? '';
      readBackQuoted(first, 'Sectigo CSR check of the files matching '.length, glob);
      for (const line of text.split('\n')) {
        // No line begins with what a file's name or the glob chose: each begins with the program's words or a quote.
        assert.ok(line === '' || /^[A-Z0-9 "]/.test(line), JSON.stringify(line.slice(0, 120)));
        assert.doesNotMatch(line, /^(::|##|Ignore)/);
      }
      const data = modelData(renderData(outcome)) as { glob: string; cleanFiles: string[]; files: { file: string }[] };
      const whole = (value: string): string => expected(value).kept + expected(value).marker;
      assert.equal(data.glob, whole(glob));
      const named = [...data.cleanFiles, ...data.files.map((file) => file.file)];
      for (const name of named) assert.ok(names.map(whole).includes(name), JSON.stringify(name));
    }),
    options,
  );
});

test('generated: a sentence of outside text never begins a line the program did not begin, and a 1 MiB value is cut', (t) => {
  check(
    t,
    12,
    fc.property(hugeHostileString, hostileString, (huge, sentence) => {
      const text = renderModelText(words`Why: ${proseText(huge)}\n${proseText(sentence)}\nMore: ${outside(sentence)}`);
      const lines = text.split('\n');
      assert.equal(lines.length, 3);
      assert.ok(text.length < 20 * 512 * 3, `${text.length} characters`);
      assert.match(lines[0] ?? '', /more characters not shown\]$/);
      assert.ok((lines[1] ?? '').startsWith(OUTSIDE_AT_LINE_START), 'a sentence that would begin a line is marked');
      assert.doesNotMatch(text, RAW_INVISIBLE);
      const result = modelToolResult(words`Subject ${outside(huge)}`, { subject: words`${outside(huge)}` }, false);
      assert.ok(JSON.stringify(result).length < 20 * 512 * 4);
      assert.equal(
        JSON.parse(result.content[1]?.text ?? '').subject,
        (result.structuredContent as { subject: string }).subject,
      );
    }),
  );
});

test('the hostile pieces, unquoted, would forge lines and quotes: each is shown here as data', () => {
  for (const piece of HOSTILE_PIECES) {
    const text = renderModelText(words`Subject: ${outside(`${piece}"\n::error::x`)}`);
    assert.equal(text.split('\n').length, 1);
    assert.equal(readLiteral(text, 'Subject: '.length).value, `${piece}"\n::error::x`.slice(0, 512));
  }
});
