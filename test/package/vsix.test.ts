// Packages the extension with vsce (as `npm run package` does) and checks what a user would
// download: everything needed to run and read about it, nothing else (no sources, tests,
// fixtures, scripts, node_modules or source maps).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { packageExtension } from '../../scripts/package';

interface ZipEntry {
  readonly name: string;
  readonly size: number;
  read(): Buffer;
}

/** Lists a zip file from its central directory (the .vsix format is a plain zip). */
function readZip(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  const endSignature = 0x06054b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== endSignature) end -= 1;
  assert.ok(end >= 0, `${file} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'corrupt central directory entry');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      size,
      read: () => {
        const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const data = zip.subarray(dataStart, dataStart + compressedSize);
        if (method === 0) return Buffer.from(data);
        assert.equal(method, 8, `${name}: unsupported compression method ${method}`);
        return inflateRawSync(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

let vsix = '';
let entries: ZipEntry[] = [];
const names = (): string[] => entries.map((entry) => entry.name);
const entry = (name: string): ZipEntry => {
  const found = entries.find((candidate) => candidate.name === name);
  assert.ok(found, `${name} is missing from the .vsix; it holds:\n${names().join('\n')}`);
  return found;
};

const scratch = mkdtempSync(join(tmpdir(), 'sectigo-vsix-'));

before(() => {
  vsix = packageExtension({ quiet: true, out: join(scratch, 'extension.vsix') });
  entries = readZip(vsix);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('the .vsix holds the manifest, the bundle, the docs, the licence and the icon', () => {
  for (const name of [
    'extension.vsixmanifest',
    '[Content_Types].xml',
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
    'extension/media/icon.png',
  ]) {
    entry(name);
  }
});

test('every file in the .vsix is one a user needs', () => {
  const allowed = [
    /^extension\.vsixmanifest$/,
    /^\[Content_Types\]\.xml$/,
    /^extension\/(package\.json|package\.nls\.json|readme\.md|changelog\.md|LICENSE\.txt|language-configuration\.json)$/,
    /^extension\/dist\/[\w.-]+\.js$/,
    /^extension\/dist\/[\w.-]+\.js\.LEGAL\.txt$/,
    /^extension\/media\/icon\.png$/,
    /^extension\/media\/csr-icon-(light|dark)\.svg$/,
    /^extension\/media\/screenshots\/[\w.-]+\.png$/,
    /^extension\/syntaxes\/[\w.-]+\.json$/,
  ];
  const unexpected = names().filter((name) => !allowed.some((pattern) => pattern.test(name)));
  assert.deepEqual(unexpected, []);
});

test('no sources, tests, fixtures, maps, keys or the command line are shipped', () => {
  const forbidden = names().filter(
    (name) =>
      /\.(ts|map|pem|csr|key|p12|pfx)$/.test(name) ||
      /(^|\/)(src|test|tests|scripts|bench|node_modules|out|\.cache|fixtures)\//.test(name) ||
      /^extension\/dist\/cli(-api|-main|-mcp)?\.(js|cache)/.test(name),
  );
  assert.deepEqual(forbidden, []);
});

test('the manifest points at files inside the .vsix', () => {
  const manifest = JSON.parse(entry('extension/package.json').read().toString('utf8')) as {
    main: string;
    browser: string;
    icon: string;
    engines: { vscode: string };
  };
  entry(`extension/${manifest.main.replace(/^\.\//, '')}`);
  // The browser entry (vscode.dev, github.dev): the same .vsix runs it in a web worker.
  entry(`extension/${manifest.browser.replace(/^\.\//, '')}`);
  // And its lazy chunk, read through workspace.fs on the first New CSR (src/vscode/browser/load-chunk.ts).
  entry('extension/dist/browser-csr-new.js');
  entry('extension/dist/browser-assistant-tools.js');
  entry(`extension/${manifest.icon}`);
  // Every file the contributions name (language icons, grammars, language configuration) must
  // ship, or the installed extension silently loses its icon or colouring.
  const contributes = (manifest as unknown as { contributes: Record<string, unknown> }).contributes;
  const named: string[] = [];
  for (const language of (contributes.languages ?? []) as {
    icon?: { light: string; dark: string };
    configuration?: string;
  }[]) {
    if (language.icon) named.push(language.icon.light, language.icon.dark);
    if (language.configuration) named.push(language.configuration);
  }
  for (const grammar of (contributes.grammars ?? []) as { path: string }[]) named.push(grammar.path);
  assert.ok(named.length >= 3, 'the manifest names a language icon, a configuration and a grammar');
  for (const path of named) entry(`extension/${path.replace(/^\.\//, '')}`);
  // The bundles loaded after activation: the HTTP client, the analysis worker and the key generator.
  entry('extension/dist/sectigo-client.js');
  entry('extension/dist/csr-analysis-worker.js');
  entry('extension/dist/csr-new.js');
  entry('extension/dist/assistant-tools.js');
  // And the calls (issue 31: one bundle, loaded when a call command first runs or the Orders view is shown).
  entry('extension/dist/calls.js');
  assert.match(
    manifest.engines.vscode,
    /^\^1\.100\./,
    'code-server 4.100.3 bundles VS Code 1.100: the engine must not ask for more',
  );
});

test('every %placeholder% in the manifest has its English text in package.nls.json', () => {
  const manifestText = entry('extension/package.json').read().toString('utf8');
  const strings = JSON.parse(entry('extension/package.nls.json').read().toString('utf8')) as Record<string, string>;
  const keys = [...manifestText.matchAll(/"%([\w.-]+)%"/g)].map((match) => match[1] ?? '');
  assert.ok(keys.length > 20, 'the manifest takes its user-facing strings from package.nls.json');
  assert.deepEqual(
    keys.filter((key) => typeof strings[key] !== 'string' || strings[key] === ''),
    [],
  );
});

test('the bundle is the minified production build without a source map reference', () => {
  const bundle = entry('extension/dist/extension.js').read().toString('utf8');
  assert.doesNotMatch(bundle, /sourceMappingURL/);
  // The development build keeps esbuild's "// src/..." module markers; the production build does not.
  assert.doesNotMatch(bundle, /^\/\/ src\//m);
});

test('the icon is a 128x128 PNG', () => {
  const png = entry('extension/media/icon.png').read();
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
});

test('the README shipped is the project README', () => {
  const readme = entry('extension/readme.md').read().toString('utf8');
  assert.equal(readme, readFileSync('README.md', 'utf8'));
  assert.match(readme, /^# Sectigo CSR Tools/m);
});

test('the README ships as the extension page; the contributors guide does not', () => {
  // vsce renames README.md to readme.md inside the package; compare names case-insensitively.
  const lower = names().map((name) => name.toLowerCase());
  assert.ok(
    lower.includes('extension/readme.md'),
    `README.md is missing from the .vsix; it holds:\n${names().join('\n')}`,
  );
  assert.deepEqual(
    names().filter((name) => /contributing/i.test(name)),
    [],
    'CONTRIBUTING.md is for contributors and must not be in the .vsix',
  );
  const manifest = entry('extension.vsixmanifest').read().toString('utf8');
  assert.match(
    manifest,
    /Microsoft\.VisualStudio\.Services\.Content\.Details"[^>]*Path="extension\/readme\.md"/i,
    'the manifest names the README as the details page',
  );
});

test('every image the README shows is inside the .vsix, so the extension page renders offline', () => {
  const readme = entry('extension/readme.md').read().toString('utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  assert.ok(images.length > 0, 'the README shows no screenshots');
  for (const image of images) {
    assert.doesNotMatch(image, /^[a-z]+:/i, `${image}: the README links images relative to the package`);
    entry(`extension/${image}`);
  }
});

test('the .vsix stays small', () => {
  const size = statSync(vsix).size;
  assert.ok(size < 5 * 1024 * 1024, `the .vsix is ${size} bytes`);
});
