// Request text in Markdown is data: rendered with markdown-it (the renderer of VS Code's Markdown
// preview, where the inspect report is shown), in every place the hover and the report put it,
// adversarial subjects and SANs produce no link, image, HTML, autolink or command: URI, and read
// back as exactly the characters they are (line breaks and invisible characters shown escaped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { markdownCode, markdownText } from '../../src/core/markdown-text';
import { oneLine } from '../../src/core/one-line';

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

const renderers = {
  'markdown-it (defaults)': new MarkdownIt(),
  'markdown-it (html and linkify on)': new MarkdownIt({ html: true, linkify: true }),
};

const ALLOWED_TAGS = new Set(['p', 'ul', 'li', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'h1', 'code']);

function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

test('request text rendered by markdown-it is only text, in every place it is put', () => {
  for (const [name, md] of Object.entries(renderers)) {
    for (const value of ADVERSARIAL) {
      for (const markdown of placements(markdownText(value))) {
        const html = md.render(markdown);
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

test('markdownCode keeps a code span only for a token of known shape', () => {
  assert.equal(markdownCode('1.2.840.113549.1.1.11'), '`1.2.840.113549.1.1.11`');
  assert.equal(markdownCode('subject-cn-missing'), '`subject-cn-missing`');
  for (const value of ADVERSARIAL) {
    const html = new MarkdownIt({ html: true, linkify: true }).render(`- ${markdownCode(value)}`);
    assert.doesNotMatch(html, /<a |<img|<[^>]*\s(?:href|src)=/, html);
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
