// What package.json promises the browser build: every command that calls Sectigo (or handles
// what a call needs) is hidden wherever the browser build sets its context key, in the palette
// and in every menu, and the local ones are not; the capabilities say what a virtual workspace gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALL_COMMANDS, ContextKeys } from '../../src/vscode/shared/ids';

interface MenuEntry {
  command: string;
  when?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  browser?: string;
  contributes: { menus: Record<string, MenuEntry[]>; viewsWelcome: { when: string; contents: string }[] };
  capabilities: { virtualWorkspaces?: { supported: boolean | string; description?: string } };
};
const hidden = `!${ContextKeys.callsUnavailable}`;
const callCommands = CALL_COMMANDS;

test('every call command is in the palette only where calls are available', () => {
  assert.ok(callCommands.length >= 15, 'the call commands are most of the commands');
  const palette = manifest.contributes.menus.commandPalette ?? [];
  for (const command of callCommands) {
    const entry = palette.find((candidate) => candidate.command === command);
    assert.ok(entry !== undefined, `${command} has a palette entry`);
    assert.ok(entry.when === 'false' || (entry.when ?? '').includes(hidden), `${command}: ${entry.when}`);
  }
});

test('every menu item of a call command is hidden where calls are unavailable; local ones are not', () => {
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) {
      const local = !CALL_COMMANDS.includes(entry.command);
      if (entry.when === 'false') continue;
      assert.equal((entry.when ?? '').includes(hidden), !local, `${menu} ${entry.command}: ${entry.when}`);
    }
  }
});

test('the orders view has a welcome for the browser, and the Node ones never show there', () => {
  const welcomes = manifest.contributes.viewsWelcome;
  const browser = welcomes.filter((entry) => entry.when === ContextKeys.callsUnavailable);
  assert.equal(browser.length, 1);
  const strings = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.nls.json'), 'utf8')) as Record<
    string,
    string
  >;
  const text = strings[(browser[0]?.contents ?? '').replace(/^%|%$/g, '')] ?? '';
  assert.match(text, /no call to Sectigo is made/);
  assert.doesNotMatch(text, /command:sectigo\./, 'the browser welcome offers no call');
  for (const entry of welcomes.filter((candidate) => candidate !== browser[0]))
    assert.match(entry.when, /!sectigo\.callsUnavailable/);
});

test('the browser entry and the virtual workspace capability are declared', () => {
  assert.equal(manifest.browser, './dist/browser.js');
  assert.equal(manifest.capabilities.virtualWorkspaces?.supported, 'limited');
  assert.match(
    manifest.capabilities.virtualWorkspaces?.description ?? '',
    /^%capabilities\.virtualWorkspaces\.description%$/,
  );
});
