// The extension in a real VS Code: it is found, it activates, every command it declares is
// registered, and package.json's contributions use exactly the ids in src/vscode/ids.ts.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, ContextKeys, LANGUAGE_ID, Settings, Views } from '../../src/vscode/shared/ids';

const EXTENSION_ID = 'sectigo-csr-tools.sectigo-csr-tools';

interface Contributes {
  commands?: { command: string; title?: string; category?: string }[];
  viewsContainers?: Record<string, { id: string }[]>;
  views?: Record<string, { id: string }[]>;
  configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
  languages?: { id: string }[];
  menus?: Record<string, { command?: string; when?: string }[]>;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `extension ${EXTENSION_ID} is not loaded in this window`);
  return found;
}

function contributes(): Contributes {
  return ((extension().packageJSON as { contributes?: Contributes }).contributes ?? {}) as Contributes;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

describe('smoke: the extension in a real VS Code', () => {
  it('runs in a real extension host', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const engine = (extension().packageJSON as { engines: { vscode: string } }).engines.vscode;
    const wanted = /\^?(\d+)\.(\d+)/.exec(engine);
    assert.ok(wanted, `engines.vscode "${engine}" is not a version range`);
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(
      major === Number(wanted[1]) && (minor ?? 0) >= Number(wanted[2]),
      `VS Code ${vscode.version} does not satisfy engines.vscode ${engine}`,
    );
  });

  it('activates without throwing', async () => {
    await extension().activate();
    assert.equal(extension().isActive, true);
  });

  it('registers every command package.json declares', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = (contributes().commands ?? []).map((entry) => entry.command);
    const missing = declared.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], 'declared in package.json but not registered at activation');
  });

  it('declares in package.json exactly the commands of src/vscode/ids.ts', () => {
    const declared = sorted((contributes().commands ?? []).map((entry) => entry.command));
    assert.deepEqual(declared, sorted(Object.values(Commands)));
  });

  it('registers no sectigo.* command that ids.ts does not name', async () => {
    await extension().activate();
    const known = new Set<string>(Object.values(Commands));
    // VS Code adds "<view>.focus"-style commands for contributed views; those are not ours.
    const viewCommand = /\.(focus|resetViewLocation|toggleVisibility|removeView|open)$/;
    const stray = (await vscode.commands.getCommands(true)).filter(
      (command) => command.startsWith('sectigo.') && !known.has(command) && !viewCommand.test(command),
    );
    assert.deepEqual(stray, []);
  });

  it('gives every command palette entry a title and the Sectigo category', () => {
    const untitled = (contributes().commands ?? []).filter((entry) => !entry.title || entry.category !== 'Sectigo');
    assert.deepEqual(
      untitled.map((entry) => entry.command),
      [],
    );
  });

  it('shows translated strings, not %placeholders%, for every string package.nls.json provides', () => {
    const unresolved: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (typeof value === 'string' && /^%[\w.-]+%$/.test(value)) unresolved.push(`${path}: ${value}`);
      else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
      else if (value && typeof value === 'object')
        for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
    };
    walk(extension().packageJSON, 'package.json');
    assert.deepEqual(unresolved, []);
  });

  it('uses the view and container ids of ids.ts', () => {
    const containers = sorted(
      Object.values(contributes().viewsContainers ?? {})
        .flat()
        .map((entry) => entry.id),
    );
    const views = sorted(
      Object.values(contributes().views ?? {})
        .flat()
        .map((entry) => entry.id),
    );
    assert.deepEqual(containers, [Views.container]);
    assert.deepEqual(views, [Views.orders]);
  });

  it('declares exactly the settings of ids.ts under the sectigo section', () => {
    const configuration = contributes().configuration;
    const blocks = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
    const declared = sorted(blocks.flatMap((block) => Object.keys(block.properties ?? {})));
    const expected = Object.entries(Settings)
      .filter(([key]) => key !== 'section')
      .map(([, name]) => `${Settings.section}.${name}`);
    // Extra settings are allowed only if ids.ts names them too, so a rename stays one edit.
    assert.deepEqual(
      declared.filter((name) => !expected.includes(name)),
      [],
      'settings in package.json missing from ids.ts',
    );
    assert.deepEqual(
      expected.filter((name) => !declared.includes(name)),
      [],
      'settings in ids.ts missing from package.json',
    );
  });

  it('declares the CSR language', () => {
    const languages = (contributes().languages ?? []).map((entry) => entry.id);
    assert.ok(languages.includes(LANGUAGE_ID), `contributes.languages lacks ${LANGUAGE_ID}`);
  });

  it('only names commands and context keys from ids.ts in menus and when-clauses', () => {
    const known = new Set<string>(Object.values(Commands));
    const menuCommands = Object.values(contributes().menus ?? {})
      .flat()
      .map((entry) => entry.command)
      .filter((command): command is string => command !== undefined);
    assert.deepEqual(
      menuCommands.filter((command) => !known.has(command)),
      [],
      'menu entries naming unknown commands',
    );
    const keys = new Set<string>(Object.values(ContextKeys));
    const whenKeys = Object.values(contributes().menus ?? {})
      .flat()
      .flatMap((entry) => (entry.when ?? '').match(/sectigo\.has[A-Za-z]+/g) ?? []);
    assert.deepEqual(
      whenKeys.filter((key) => !keys.has(key)),
      [],
      'when-clauses naming unknown context keys',
    );
  });
});
