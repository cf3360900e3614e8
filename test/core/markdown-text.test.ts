// Request text in Markdown is data: rendered by the renderers VS Code really uses (markdown-it 12
// with linkify, as the Markdown preview configures it, where the inspect report is shown; marked,
// as the hover renders it; both loaded from code-server's own files) and by markdown-it 14 as a
// CommonMark reference, in every place the hover and the report put it, adversarial subjects and
// SANs produce no link, image, HTML, autolink or command: URI, and read back as exactly the
// characters they are (line breaks and invisible characters shown escaped).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { markdownPlain, markdownText } from '../../src/core/markdown-text';
import { oneLine } from '../../src/core/one-line';
import { outside } from '../../src/core/outside-text';
import { markedHtml, vscodeRenderers } from '../vscode-renderers';

const ADVERSARIAL = [
  '](command:workbench.action.terminal.new) [x',
  'CN=`` ` ``[click](command:sectigoCsr.inspectCsr?%5B%5D)`',
  'CN=x`](command:x)`',
  '<img src=x onerror=alert(1)>',
  '<https://evil.example/>',
  '<command:workbench.action.terminal.new>',
  'https://evil.example/path?q=1',
  'www.evil-site.com',
  'evil-site.org/path',
  'user@evil.example',
  'mailto:user@evil.example',
  'command:workbench.action.terminal.new',
  '![img](https://evil.example/x.png)',
  '![img][r]\n\n[r]: https://evil.example/x.png',
  '[r]\n\n[r]: command:x',
  '&lt;script&gt;alert(1)&lt;/script&gt; &#x3C;b&#x3E; &amp;',
  '| a | b |\n|---|---|\n| [x](command:y) | z |',
  '\\[x](command:y)',
  '\\\\[x](command:y)',
  '*bold* _em_ ~~strike~~ # heading `code`',
  '<!-- c --><svg/onload=alert(1)>',
  'line one\n# Heading\n> quote\n- item\n    code block',
  '\u202e[x](command:y)\u200b\u2028\u2029\ufeff\u2060\u061c\u200f',
  '［x］（command:y）',
  'CN=a, emailAddress=[me](javascript:alert(1))',
  '[x]( command:y "title")',
  '<a href="command:x">x</a>',
  '```\n[x](command:y)\n```',
  'x\r\n[x](command:y)',
];

/** Where the hover and the report put request text: a paragraph, a list item, bold, a table cell. */
function placements(value: string): string[] {
  return [
    `Subject: ${value}`,
    `- Alternative names: ${value}, ${value}`,
    `**${value}**`,
    ['| Field | Value |', '| --- | --- |', `| CN | ${value} |`].join('\n'),
    `# CSR report: ${value}`,
  ];
}

const renderers: Record<string, (source: string) => string> = {
  'markdown-it 14 (CommonMark, html and linkify on)': (source) =>
    new MarkdownIt({ html: true, linkify: true }).render(source),
};

before(async () => {
  const vscode = await vscodeRenderers();
  renderers["VS Code's markdown-it 12 (the preview: html, linkify, fuzzyLink off)"] = (source) =>
    vscode.markdownIt.render(source);
  renderers["VS Code's marked (the hover: gfm)"] = (source) => markedHtml(vscode, source);
});

const ALLOWED_TAGS = new Set(['p', 'ul', 'li', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'h1', 'code']);

function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

test('request text rendered by each renderer is only text, in every place it is put', () => {
  assert.equal(Object.keys(renderers).length, 3);
  for (const [name, render] of Object.entries(renderers)) {
    for (const value of ADVERSARIAL) {
      for (const markdown of placements(markdownText(outside(value)))) {
        const html = render(markdown);
        const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((match) => (match[1] ?? '').toLowerCase());
        for (const tag of tags)
          assert.ok(ALLOWED_TAGS.has(tag), `${name}: <${tag}> from ${JSON.stringify(value)}: ${html}`);
        assert.doesNotMatch(html, /<[^>]*\s(?:href|src)=/, `${name}: ${html}`);
        // The value reads back whole, as one line.
        const text = decodeEntities(html.replace(/<[^>]+>/g, ''));
        assert.ok(text.includes(oneLine(value)), `${name}: ${JSON.stringify(value)} became ${JSON.stringify(text)}`);
      }
    }
  }
});

test('an e-mail address or URL of a subject is no link: escaping punctuation was not enough for the preview', () => {
  // The issue: the inspect report linked a subject's e-mail address. VS Code's markdown-it 12
  // reads "\\@" and "\\." back as text before linkify runs, so the old escaping still linked it
  // (and, once an "@" in the paragraph let linkify look, a URL beside it).
  const preview = renderers["VS Code's markdown-it 12 (the preview: html, linkify, fuzzyLink off)"];
  assert.ok(preview);
  for (const value of ['alice@example.com', 'CN=x, E=alice@example.com, URI=https://evil.example/x']) {
    assert.match(
      preview(`Subject: ${markdownPlain(value)}`),
      /<a href=/,
      'the old escaping, which linkify saw through',
    );
    assert.doesNotMatch(preview(`Subject: ${markdownText(outside(value))}`), /<a /);
  }
});

test('the escaping is what keeps them out: unescaped, the same inputs do render links and images', () => {
  // Without this, a renderer that never made links would prove nothing.
  const md = new MarkdownIt({ html: true, linkify: true });
  assert.match(md.render(`Subject: [x${ADVERSARIAL[0] ?? ''}`), /<a href="command:/);
  for (const [value, made] of [
    ['![img](https://evil.example/x.png)', /<img/],
    ['www.evil-site.com', /<a href/],
    ['<img src=x onerror=alert(1)>', /<img/],
    ['<command:workbench.action.terminal.new>', /<a href="command:/],
  ] as const) {
    assert.ok(ADVERSARIAL.includes(value));
    assert.match(md.render(value), made);
  }
});
