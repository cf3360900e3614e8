// A person types a command's title as they read it (without the "…") and presses Enter. The
// palette ranks titles that match equally by their text, and " " sorts before "…": a title
// "X…" loses to any other title "X something". So a title ending in "…" is never, without its
// "…", the start of another title in the palette. (test/ui/confirmations.test.ts presses
// Enter on "Sectigo: Revoke SSL Certificate" in the real workbench.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: { commandPalette: { command: string; when?: string }[] };
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const strings = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
const localized = (value: string): string => {
  const key = /^%(.+)%$/.exec(value)?.[1];
  if (key === undefined) return value;
  const text = strings[key];
  assert.ok(text !== undefined, `package.nls.json has no ${key}`);
  return text;
};

/** The titles the command palette can show, with their category, as the palette writes them. */
function paletteTitles(): { command: string; title: string }[] {
  const hidden = new Set(
    manifest.contributes.menus.commandPalette.filter((entry) => entry.when === 'false').map((entry) => entry.command),
  );
  return manifest.contributes.commands
    .filter((command) => !hidden.has(command.command))
    .map((command) => ({
      command: command.command,
      title: `${command.category ? `${localized(command.category)}: ` : ''}${localized(command.title)}`,
    }));
}

/** Each title "X…" whose typed form "X" begins another palette title, said as what Enter would run. */
function clashesOf(titles: readonly { command: string; title: string }[]): string[] {
  return titles.flatMap(({ command, title }) => {
    if (!title.endsWith('…')) return [];
    const typed = title.slice(0, -1);
    return titles
      .filter((other) => other.command !== command && other.title.startsWith(typed))
      .map((other) => `"${typed}" + Enter would run ${other.command} ("${other.title}"), not ${command}`);
  });
}

test('the plain title of a command typed without its "…" is no other palette title\'s beginning', () => {
  const titles = paletteTitles();
  assert.ok(titles.length > 10, 'the palette commands were read');
  assert.ok(titles.some(({ title }) => title === 'Sectigo: Revoke SSL Certificate…'));
  assert.deepEqual(clashesOf(titles), []);
});

test('the check finds the clash issue 19 saw', () => {
  const before = [
    { command: 'sectigo.revokeSsl', title: 'Sectigo: Revoke SSL Certificate…' },
    { command: 'sectigo.revokeFromCertificate', title: 'Sectigo: Revoke SSL Certificate from Certificate File…' },
    { command: 'sectigo.inspectCsr', title: 'Sectigo: Inspect CSR' },
    { command: 'sectigo.inspectSelection', title: 'Sectigo: Inspect CSR in Selection' },
  ];
  assert.deepEqual(clashesOf(before), [
    '"Sectigo: Revoke SSL Certificate" + Enter would run sectigo.revokeFromCertificate ("Sectigo: Revoke SSL Certificate from Certificate File…"), not sectigo.revokeSsl',
  ]);
});
