// The README is the extension's page and CONTRIBUTING.md the contributors' guide: every relative
// link and #anchor in them must land somewhere, and every finding code must have the anchor that
// links from the editor and from SARIF point at (README.md#finding-<code>). Plain text checks,
// fast, so the docs pass after a merge cannot silently break a link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findingCodes } from '../../src/core/csr/index';
import { anchorsOf, headingSlug } from '../markdown-anchors';

const repoRoot = join(__dirname, '..', '..');
const documents = ['README.md', 'CONTRIBUTING.md'];

/** The text a reader sees rendered: no fenced code, no inline code, no HTML comments. */
function renderedText(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
    .replace(/`[^`\n]*`/g, '');
}

interface Link {
  readonly from: string;
  readonly target: string;
}

function linksOf(file: string, markdown: string): Link[] {
  const text = renderedText(markdown);
  const targets = [
    ...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? ''),
    ...[...text.matchAll(/\s(?:href|src)="([^"]+)"/g)].map((match) => match[1] ?? ''),
  ];
  return targets.map((target) => ({ from: file, target }));
}

const read = (file: string): string => readFileSync(join(repoRoot, file), 'utf8');

test('headingSlug follows GitHub: code, punctuation and case go, spaces become hyphens', () => {
  assert.equal(headingSlug('The command line: `sectigo-csr`'), 'the-command-line-sectigo-csr');
  assert.equal(headingSlug('inspect and check'), 'inspect-and-check');
  assert.equal(headingSlug('Settings and accounts'), 'settings-and-accounts');
  assert.equal(
    headingSlug('What is sent where, and what is never printed (API client and command line)'),
    'what-is-sent-where-and-what-is-never-printed-api-client-and-command-line',
  );
});

for (const file of documents) {
  test(`every relative link and #anchor in ${file} resolves`, () => {
    const broken: string[] = [];
    let checked = 0;
    for (const link of linksOf(file, read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) continue; // https:, mailto:, command:
      checked += 1;
      const hash = link.target.indexOf('#');
      const path = hash < 0 ? link.target : link.target.slice(0, hash);
      const fragment = hash < 0 ? '' : decodeURIComponent(link.target.slice(hash + 1));
      const targetFile =
        path === '' ? file : relative(repoRoot, join(repoRoot, dirname(file), decodeURIComponent(path)));
      const absolute = join(repoRoot, targetFile);
      if (!existsSync(absolute)) {
        broken.push(`${link.target}: ${targetFile} does not exist`);
        continue;
      }
      if (fragment === '') continue;
      if (!statSync(absolute).isFile() || !targetFile.endsWith('.md')) {
        broken.push(`${link.target}: an anchor into ${targetFile}, which is not a Markdown file`);
        continue;
      }
      if (!anchorsOf(read(targetFile)).has(fragment))
        broken.push(`${link.target}: no heading or id "${fragment}" in ${targetFile}`);
    }
    assert.ok(checked > 0, `${file} has no relative links to check`);
    assert.deepEqual(broken, []);
  });
}

test('every finding code has its own README anchor, on its row of the finding table', () => {
  const readme = read('README.md');
  const anchors = anchorsOf(readme);
  const missing: string[] = [];
  for (const [code, severity] of Object.entries(findingCodes)) {
    if (!anchors.has(`finding-${code}`)) missing.push(`${code}: no anchor finding-${code}`);
    const row = new RegExp(`^\\| <a id="finding-${code}"></a>\`${code}\` \\| ${severity} \\|`, 'm');
    if (!row.test(readme))
      missing.push(`${code}: no table row "| <a id="finding-${code}"></a>\`${code}\` | ${severity} |"`);
  }
  assert.deepEqual(missing, []);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test("every README anchor the sources link to (the Problems view's code links) exists", () => {
  const anchors = anchorsOf(read('README.md'));
  const linked: string[] = [];
  for (const file of sourceFiles(join(repoRoot, 'src'))) {
    // A link to the repository's page is a link to its README; a templated anchor (`#finding-${code}`) is covered above.
    for (const match of readFileSync(file, 'utf8').matchAll(
      /github\.com\/sectigo-csr-tools\/sectigo-csr-tools(?:\/blob\/[\w.-]+\/README\.md)?#([\w-]+)['"`]/g,
    )) {
      linked.push(`${relative(repoRoot, file)}#${match[1] ?? ''}`);
    }
  }
  assert.deepEqual(
    linked.filter((entry) => !anchors.has(entry.slice(entry.indexOf('#') + 1))),
    [],
  );
});

test('the README opens with the two commands and links the contributors guide', () => {
  const readme = read('README.md');
  const firstBlock = /^# [^\n]+\n+```sh\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(firstBlock, 'the first block after the title is a ```sh block');
  const commands = (firstBlock[1] ?? '').split('\n').map((line) => line.replace(/\s+#.*$/, '').trim());
  assert.deepEqual(commands, ['npm run demo', 'npm test']);
  for (const line of (firstBlock[1] ?? '').split('\n')) assert.match(line, /#\s+\S/, `"${line}" says what it does`);
  assert.ok(
    linksOf('README.md', readme).some((link) => link.target.startsWith('CONTRIBUTING.md')),
    'the README links CONTRIBUTING.md',
  );
});

test('no working note is left in the pages people read (the README is the marketplace page)', () => {
  for (const file of ['README.md', 'CONTRIBUTING.md']) {
    const notes = [...read(file).matchAll(/TODO-MERGE|TODO|FIXME|XXX/g)].map((match) => match[0]);
    assert.deepEqual(notes, [], `${file} still holds working notes`);
  }
});
