// The suite attacks the sinks itself (issue 29, item 3): random hostile strings (Markdown links of
// every kind, command: URIs, autolinks, HTML, images, reference links, entities, icons, control,
// bidi and separator characters, "::" workflow commands, CR/LF/U+2028/U+0085, 1 MiB) through
// every surface's sink, each checked the way that surface reads it:
// - notifications, dialogs, quick-input prompts: VS Code's own parseLinkedText, from code-server's
//   sources (test/vscode-renderers.ts), after the workbench's own preprocessing of a notification
//   (notifications.ts: cut at 1,000 characters, line breaks to spaces; ported, three lines);
// - Markdown: VS Code's markdown-it 12 with linkify as the preview configures it, VS Code's marked
//   as the hover uses it (both from code-server), and markdown-it 14 as a CommonMark reference;
// - labels: VS Code's "$(name)" icon grammar (ported from iconLabels.ts: it is one regular expression);
// - the terminal and the log: split into lines, each must begin with the program's words;
// - JSON: parsed back.
// And each time the text still reads as the original: what the sink shows, read back (the escapes
// undone, the link break removed), is the value (redacted, and cut to the surface's bound, saying so).
// Each property prints its seed and run count; SECTIGO_FC_SEED=<seed> replays a failure.
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { jsonDocument, jsonDocumentText, jsonText, jsonValue } from '../../src/core/json-text';
import { escapeInvisible } from '../../src/core/one-line';
import { escapeIcons, renderLabel } from '../../src/core/label-text';
import { OUTSIDE_AT_LINE_START, renderLogEntry, renderTerminal } from '../../src/core/line-text';
import { markdownText } from '../../src/core/markdown-text';
import { LINK_BREAK, renderMessage } from '../../src/core/message-text';
import { oneLine } from '../../src/core/one-line';
import { renderProblem } from '../../src/core/problem-text';
import {
  SHOWN_BOUNDS,
  boundedOutside,
  cutMarker,
  outside,
  outsideLine,
  pathText,
  words,
  type Surface,
} from '../../src/core/outside-text';
import { redactOwnText } from '../../src/core/sectigo/redact';
import {
  HOSTILE_PIECES,
  RAW_INVISIBLE,
  hostileString,
  hugeHostileString,
  propertyRun,
  readOneLine,
} from '../hostile-text';
import { markedHtml, vscodeRenderers } from '../vscode-renderers';

let vscode: Awaited<ReturnType<typeof vscodeRenderers>>;
before(async () => {
  vscode = await vscodeRenderers();
});

/** Runs a property with this run's seed (printed) and a fixed number of runs. */
function check<T extends unknown[]>(t: TestContext, runs: number, property: fc.IPropertyWithHooks<T>): void {
  const options = propertyRun(runs);
  t.diagnostic(`seed ${options.seed}, ${options.numRuns} runs (replay: SECTIGO_FC_SEED=${options.seed})`);
  try {
    fc.assert(property, options);
  } catch (error) {
    // fast-check's report (seed, path, counterexample) with the assertion that failed; a 1 MiB
    // counterexample is cut, the seed and path replay it whole.
    const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
    const report = `${error instanceof Error ? error.message : String(error)}${cause}`;
    throw new Error(
      report.replace(/(.{2000}).{200,}?(.{500})/gs, (_, head: string, tail: string) => `${head}…${tail}`),
    );
  }
}

/** What one outside value should read back as on a surface: redacted, cut to its bound, and the cut said. */
function expectedValue(value: string, surface: Surface): { kept: string; marker: string } {
  const { kept, left } = boundedOutside(value, surface);
  if (left === 0) assert.equal(kept, redactOwnText(value), 'a value within the bound is shown whole (redacted only)');
  return { kept, marker: left > 0 ? cutMarker(left) : '' };
}

/**
 * An outside value as shown on a one-line surface, read back: what is shown is the kept part with
 * oneLine's escapes and the cut said; and a reader recovers the value from it, exactly when the
 * value holds no backslash of its own (a backslash is shown as itself, so that a Windows path
 * prints as given: see src/core/one-line.ts).
 */
function readBack(shown: string, value: string, surface: Surface): void {
  const { kept, marker } = expectedValue(value, surface);
  assert.ok(shown.endsWith(marker), `the cut is said: ${JSON.stringify(shown.slice(-80))}`);
  const body = shown.slice(0, shown.length - marker.length);
  assert.equal(body, oneLine(kept));
  if (!kept.includes('\\')) assert.equal(readOneLine(body), kept);
}

// How the workbench prepares a notification's message before it looks for links
// (NotificationViewItem.parseNotificationMessage, VS Code 1.100; ported: a cut and a replace).
function asNotification(message: string): string {
  const cut = message.length > 1000 ? `${message.substr(0, 1000)}...` : message;
  return cut.replace(/(\r\n|\n|\r)/gm, ' ').trim();
}

function linksIn(message: string): unknown[] {
  return vscode.parseLinkedText(message).nodes.filter((node) => typeof node !== 'string');
}

// VS Code's icon syntax in a label (iconLabels.ts, 1.100): "$(name)" or "$(name~modifier)", and
// "\$(name)" shown as the characters "$(name)".
const ICON_IN_LABEL = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;

function unescapedIcons(label: string): string[] {
  return [...label.matchAll(ICON_IN_LABEL)].filter((match) => match[1] === undefined).map((match) => match[0]);
}

/** What VS Code shows for a label with icons, as text: an escaped icon loses its backslash. */
function labelAsShown(label: string): string {
  return label.replace(ICON_IN_LABEL, (found, escaped: string | undefined, name: string) =>
    escaped ? `$(${name})` : found,
  );
}

test('generated: no notification, dialog or quick-input prompt holds a link VS Code would make, and each reads back', (t) => {
  check(
    t,
    400,
    fc.property(hostileString, hostileString, (fileName, keyName) => {
      const message = words`Created ${outside(fileName)} and the private key ${outside(keyName)} (owner-only).`;
      for (const icons of [false, true]) {
        const shown = renderMessage(message, { icons });
        for (const candidate of [shown, asNotification(shown)])
          assert.deepEqual(linksIn(candidate), [], JSON.stringify(candidate));
        const plain = shown.split(LINK_BREAK).join('');
        assert.doesNotMatch(plain, RAW_INVISIBLE);
        const match = /^Created (.*) and the private key (.*) \(owner-only\)\.$/s.exec(plain);
        assert.ok(match, plain);
        // Read back by a person: the link breaks are invisible, the escapes are undone.
        const [first, second] = [match[1] ?? '', match[2] ?? ''];
        if (!icons) {
          assert.equal(first, outsideLine(fileName, 'message'));
          readBack(first, fileName, 'message');
          readBack(second, keyName, 'message');
        } else {
          readBack(labelAsShown(first), fileName, 'message');
          assert.deepEqual(unescapedIcons(first), []);
        }
      }
      // A dialog's detail: the program's line breaks stay, an outside value's never.
      const detail = renderMessage(words`Account: ${outside(fileName)}\nFrom: ${outside(keyName)}`);
      assert.deepEqual(linksIn(detail), []);
      assert.equal(detail.split('\n').length, 2);
    }),
  );
});

const PLACEMENTS: Array<(value: string) => string> = [
  (value) => `Subject: ${value}`,
  (value) => `- Alternative names: ${value}, ${value}`,
  (value) => `**${value}**`,
  (value) => `*${value}*`,
  (value) => `_${value}_ and __${value}__`,
  (value) => ['| Field | Value |', '| --- | --- |', `| CN | ${value} |`].join('\n'),
  (value) => `# CSR report: ${value}`,
];
const ALLOWED_TAGS = new Set([
  'p',
  'ul',
  'li',
  'strong',
  'em',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'h1',
  'code',
]);

function textOfHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

test('generated: Markdown from outside text is text in VS Code’s preview and hover and in CommonMark, and reads back', (t) => {
  const commonMark = new MarkdownIt({ html: true, linkify: true });
  const renderers: Record<string, (source: string) => string> = {
    'VS Code preview (markdown-it 12, linkify)': (source) => vscode.markdownIt.render(source),
    'VS Code hover (marked)': (source) => markedHtml(vscode, source),
    'CommonMark (markdown-it 14)': (source) => commonMark.render(source),
  };
  const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
  check(
    t,
    150,
    fc.property(hostileString, (value) => {
      const shown = markdownText(outside(value));
      const { kept, marker } = expectedValue(value, 'markdown');
      for (const [name, render] of Object.entries(renderers)) {
        for (const place of PLACEMENTS) {
          const html = render(place(shown));
          for (const tag of [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] ?? '').toLowerCase()))
            assert.ok(ALLOWED_TAGS.has(tag), `${name}: <${tag}> from ${JSON.stringify(value)}: ${html}`);
          assert.doesNotMatch(html, /<[^>]*\s(?:href|src)=/, `${name}: ${html}`);
          // Read back: the text the page shows (HTML collapses runs of white space) holds the value.
          assert.ok(
            collapse(textOfHtml(html)).includes(collapse(oneLine(kept) + marker)),
            `${name}: ${JSON.stringify(value)} reads ${JSON.stringify(textOfHtml(html))}`,
          );
        }
      }
    }),
  );
});

test('generated: a label shows no icon and no line break from outside, and reads back', (t) => {
  check(
    t,
    400,
    fc.property(hostileString, hostileString, (login, host) => {
      const withIcons = renderLabel(words`$(key) ${outside(login)} @ ${outside(host)}`, true);
      assert.deepEqual(unescapedIcons(withIcons), ['$(key)']);
      assert.doesNotMatch(withIcons, RAW_INVISIBLE);
      assert.doesNotMatch(withIcons, /[\n\r]/);
      const match = /^\$\(key\) (.*) @ (.*)$/s.exec(withIcons);
      assert.ok(match);
      // VS Code shows an escaped icon as its characters: what the person sees reads back.
      assert.equal(match[1], escapeIcons(outsideLine(login, 'label')));
      const plain = renderLabel(words`${outside(login)} · ${outside(host)}`, false);
      assert.doesNotMatch(plain, RAW_INVISIBLE);
      const [first] = plain.split(' · ');
      assert.equal(first, outsideLine(login, 'label'));
      readBack(labelAsShown(match[1] ?? ''), login, 'label');
    }),
  );
});

/** A line's own beginning, as the templates below write it. */
const OWN_LINE_STARTS = ['> ', 'sectigo-csr revoke: ', 'Note: ', 'line ', './'];

test('generated: no printed or logged line begins with outside text, none holds a control character, and each value reads back', (t) => {
  check(
    t,
    400,
    fc.property(hostileString, hostileString, hostileString, hostileString, (subject, file, message, path) => {
      const text = words`${outside(subject)}\n  ${outside(file)} holds 2 certificates\nsectigo-csr revoke: ${outside(message)}\n${pathText(path)}:1:1: error code: ${outside(message)}\nNote: ${outside(subject)}\n`;
      for (const [shown, surface] of [
        [renderTerminal(text), 'terminal'],
        [renderLogEntry(text), 'log'],
      ] as const) {
        assert.doesNotMatch(shown, RAW_INVISIBLE, JSON.stringify(shown));
        const lines = shown.split('\n');
        assert.equal(lines.length, 6, 'the program’s five lines and no more');
        lines.slice(0, 5).forEach((line, index) => {
          const trimmed = line.trimStart();
          if (index === 0 && surface === 'log') return; // after the channel's own time and level
          // No workflow command, logging command or tag can start a line.
          assert.doesNotMatch(trimmed, /^(::|##|\[)/, line);
          if (index === 3) {
            // A path begins check's line as itself, or after "./" when its first character could begin anything else.
            assert.ok(/^[A-Za-z0-9_./\\~]/.test(trimmed), line);
            return;
          }
          assert.ok(
            OWN_LINE_STARTS.some((start) => trimmed.startsWith(start)),
            `line ${index} begins with the program's words: ${JSON.stringify(line)}`,
          );
        });
        readBack((lines[2] ?? '').slice('sectigo-csr revoke: '.length), message, surface);
        readBack((lines[4] ?? '').slice('Note: '.length), subject, surface);
        const first = lines[0] ?? '';
        readBack(surface === 'terminal' ? first.slice(OUTSIDE_AT_LINE_START.length) : first, subject, surface);
      }
    }),
  );
});

test('generated: a problem’s message keeps the program’s lines, each value on one line of its own, and reads back', (t) => {
  check(
    t,
    400,
    fc.property(hostileString, hostileString, (sentence, error) => {
      // A finding's sentence (it may quote the subject) and a reader's error, as diagnostics.ts gives them.
      const shown = renderProblem(words`${outside(sentence)}\nThe request could not be analysed: ${outside(error)}`);
      assert.doesNotMatch(shown, RAW_INVISIBLE, JSON.stringify(shown));
      const lines = shown.split('\n');
      assert.equal(lines.length, 2, 'the program’s two lines and no more');
      assert.ok((lines[1] ?? '').startsWith('The request could not be analysed: '));
      readBack(lines[0] ?? '', sentence, 'problem');
      readBack((lines[1] ?? '').slice('The request could not be analysed: '.length), error, 'problem');
    }),
  );
});

test('generated: JSON from the JSON sink parses back to the values, with no raw control, bidi or separator character', (t) => {
  check(
    t,
    400,
    fc.property(hostileString, hostileString, hostileString, (message, target, reason) => {
      const value = { kind: 'api-error', errorCode: -4, errorMessage: message, targets: [{ value: target, reason }] };
      for (const redacted of [true, false]) {
        const expect = (text: string): string => {
          const kept = redacted ? text : redactOwnText(text);
          return kept.length > SHOWN_BOUNDS.json ? '' : kept;
        };
        for (const shown of [
          jsonText(value, { redacted }),
          jsonText(value, { redacted, indent: 1 }),
          jsonDocumentText(jsonDocument(value, { redacted })),
        ]) {
          assert.doesNotMatch(shown.replace(/\n/g, ''), RAW_INVISIBLE);
          const parsed = JSON.parse(shown) as typeof value;
          assert.deepEqual(parsed, {
            kind: 'api-error',
            errorCode: -4,
            errorMessage: expect(message),
            targets: [{ value: expect(target), reason: expect(reason) }],
          });
        }
      }
    }),
  );
});

test('generated: jsonText is JSON.stringify of jsonValue, whatever the value (own fields, toJSON, what JSON leaves out)', (t) => {
  // Values of every shape the sink is given: nested records and arrays, strings that would be cut,
  // redacted or escaped, an own field's name at every depth and as an array's index, toJSON, and
  // what JSON leaves out (undefined, functions).
  const leaf = fc.oneof(
    hostileString,
    fc.string({ minLength: SHOWN_BOUNDS.json - 2, maxLength: SHOWN_BOUNDS.json + 2 }),
    fc.constantFrom('loginPassword=secret&x=1', 'kind', '0'),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
  );
  const key = fc.constantFrom('kind', 'endpoint', 'errorMessage', '0', '', 'toJSON2');
  const { tree } = fc.letrec((self) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(self('tree'), { maxLength: 3 }),
      fc.dictionary(key, self('tree'), { maxKeys: 3 }),
      self('tree').map((inner) => ({ toJSON: () => inner })),
    ),
  }));
  // 150 runs: each unredacted string goes through the whole search for the secret (about 15 ms a run).
  check(
    t,
    150,
    fc.property(tree, fc.boolean(), fc.constantFrom(undefined, 2), (value, redacted, indent) => {
      const options = { redacted, ownFields: new Set(['kind', 'endpoint', '0']), secrets: ['secret'] };
      // The value alone (unless it is nothing JSON can write), and as a field's.
      for (const whole of JSON.stringify(jsonValue(value, options)) === undefined ? [{ value }] : [value, { value }]) {
        const expected = JSON.stringify(jsonValue(whole, options), null, indent);
        const shown = jsonText(whole, { ...options, ...(indent === undefined ? {} : { indent }) });
        assert.equal(shown, escapeInvisible(expected));
      }
    }),
  );
});

test('generated: a value of 1 MiB or more is cut to each surface’s bound, saying so, and still shows no link, icon or line break', (t) => {
  check(
    t,
    12,
    fc.property(hugeHostileString, (huge) => {
      assert.ok(huge.length >= 1024 * 1024);
      const message = renderMessage(words`Sectigo said: ${outside(huge)}`);
      assert.deepEqual(linksIn(message), []);
      assert.match(message, /more characters not shown\]$/);
      assert.ok(message.length < 20 * SHOWN_BOUNDS.message, `${message.length} characters`);
      const label = renderLabel(words`${outside(huge)}`, true);
      assert.deepEqual(unescapedIcons(label), []);
      assert.ok(label.length < 20 * SHOWN_BOUNDS.label);
      const markdown = markdownText(outside(huge));
      assert.ok(markdown.length < 30 * SHOWN_BOUNDS.markdown);
      assert.doesNotMatch(vscode.markdownIt.render(markdown), /<a /);
      const problem = renderProblem(words`${outside(huge)}`);
      assert.match(problem, /more characters not shown\]$/);
      assert.ok(problem.length < 20 * SHOWN_BOUNDS.problem);
      assert.doesNotMatch(problem, /\n/);
      const line = renderTerminal(words`sectigo-csr revoke: ${outside(huge)}\n`);
      assert.ok(line.length < 20 * SHOWN_BOUNDS.terminal);
      assert.equal(line.split('\n').length, 2);
      const json = JSON.parse(jsonText({ errorMessage: huge }, { redacted: true })) as { errorMessage: string };
      assert.ok([...json.errorMessage].length < SHOWN_BOUNDS.json + 100);
      assert.ok(json.errorMessage.endsWith('more characters not shown]'));
    }),
  );
});

test('the hostile pieces are what the surfaces read: unescaped, VS Code links them, draws their icons, breaks their lines', () => {
  // Without this, a parser that never found anything would prove nothing.
  assert.ok(linksIn(HOSTILE_PIECES[0] ?? '').length === 1);
  assert.ok(linksIn(asNotification('[x](command:y)\n[z](https://q)')).length === 2);
  assert.deepEqual(unescapedIcons('$(zap) x'), ['$(zap)']);
  assert.match(vscode.markdownIt.render('alice@evil-site.com'), /<a href="mailto:/);
  assert.match(markedHtml(vscode, 'www.evil-site.com'), /<a href=/);
  assert.match(vscode.markdownIt.render('<img src=x onerror=alert(1)>'), /<img/);
  assert.ok(HOSTILE_PIECES.some((piece) => RAW_INVISIBLE.test(piece)));
});

test('found by the generated tests: a run of lone surrogates is cut at the bound, each one a character', () => {
  for (const lone of ['\ud800', '\udc00']) {
    const { kept, left } = boundedOutside(lone.repeat(SHOWN_BOUNDS.json * 3), 'json');
    assert.equal(kept.length, SHOWN_BOUNDS.json);
    assert.equal(left, SHOWN_BOUNDS.json * 2);
  }
  const pairs = boundedOutside('😀'.repeat(SHOWN_BOUNDS.label + 1), 'label');
  assert.equal(pairs.kept.length, 2 * SHOWN_BOUNDS.label);
  assert.equal(pairs.left, 1);
});

test('found by the generated tests: a backtick in a value cannot let VS Code’s hover renderer (marked) pair emphasis inside the code', () => {
  // marked masks only one-backtick code spans before it pairs "*": in "*``x [a](https://…)*` ``*"
  // the inner "*" closed the emphasis and the link inside the code became a real link; so did a
  // backslash-escaped backtick before a span ("*\`` `[a](command:y)*` ``*").
  for (const value of [
    'x [a](https://evil.example)*`',
    '`[Open](command:y)*',
    '::stop-commands::token*`',
    'a*`b',
    'a_`b _',
  ]) {
    const shown = markdownText(outside(value));
    for (const placed of [`*${shown}*`, `**${shown}**`, `_${shown}_`]) {
      const html = markedHtml(vscode, placed);
      assert.doesNotMatch(html, /<a /, html);
      assert.ok(textOfHtml(html).includes(oneLine(value)), html);
    }
  }
});
