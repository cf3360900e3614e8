// The questions of a new key and request, after the subject's own: the key type, where the two
// files go (beside the old request under the next free names, or a save dialog that comes back
// until its name is free) and the passphrase, asked twice. The command that asks them and writes
// the pair is new-csr-command.ts. Nothing here is logged; the passphrase is only handed back.
import * as vscode from 'vscode';
import { outside, words, type Text } from '../../core/outside-text';
import { keyTypes, recommendedKeyType, type KeyType } from '../../core/csr-new/subject';
import { showModal } from '../shared/messages';
import { runSteps, type Step } from '../shared/multi-step-input';
import { t } from '../shared/text';
import type { NewCsrHost } from './host';

export const keyTypeLabels: Record<KeyType, string> = {
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
  'ec-p256': 'EC P-256',
  'ec-p384': 'EC P-384',
};

/** What the questions of a new key and request gather. */
export interface Answers {
  email?: string;
  name?: string;
  keyType?: KeyType;
  paths?: Pair;
  protect?: boolean;
  passphrase?: string;
}

const keyTypeStep = (): Step<Answers> => ({
  title: t('Key type for the new private key'),
  ask: async (input, state) => {
    const ordered = [recommendedKeyType, ...keyTypes.filter((type) => type !== recommendedKeyType)];
    state.keyType = await input.pick<KeyType>({
      placeholder: words``,
      items: ordered.map((type) => ({
        label: words`${outside(keyTypeLabels[type])}`,
        ...(type === recommendedKeyType
          ? { description: t('recommended: what S/MIME clients handle most widely') }
          : type.startsWith('ec')
            ? { description: t('smaller and faster; some mail clients lack EC S/MIME') }
            : {}),
        value: type,
      })),
      ...(state.keyType !== undefined && { active: state.keyType }),
    });
  },
});

/** The request and key files of a new pair. */
export interface Pair {
  csr: vscode.Uri;
  key: vscode.Uri;
}

export function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function sibling(uri: vscode.Uri, name: string): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..', name);
}

export function keyUriFor(csr: vscode.Uri): vscode.Uri {
  const name = basename(csr);
  const stem = /\.(csr|req|pem)$/i.test(name) ? name.replace(/\.(csr|req|pem)$/i, '') : name;
  return sibling(csr, `${stem}.key`);
}

/** Why the names beside the old request are not the usual ones, in the grammar of one file or two. */
function takenDetail(names: readonly string[]): Text {
  const [first = '', second] = names;
  return second === undefined
    ? t('{0} already exists and is never overwritten: these are the next free names.', outside(first))
    : t(
        '{0} and {1} already exist and are never overwritten: these are the next free names.',
        outside(first),
        outside(second),
      );
}

/** The same when no numbered name is free either. */
function noneFreeText(names: readonly string[], tried: number): Text {
  const [first = '', second] = names;
  return second === undefined
    ? t('{0} already exists, and so do the next {1} names: choose where to save.', outside(first), tried)
    : t(
        '{0} and {1} already exist, and so do the next {2} names: choose where to save.',
        outside(first),
        outside(second),
        tried,
      );
}

/** How many numbered names beside the old request are tried (<stem>.new-2 … ) when <stem>.new is taken. */
const BESIDE_NAMES = 9;

/** The names beside the old request, <stem>.new.csr / .new.key, then <stem>.new-2.csr …, in the order offered. */
function besideCandidates(oldUri: vscode.Uri): Pair[] {
  const stem = basename(oldUri).replace(/\.[^.]*$/, '');
  return Array.from({ length: BESIDE_NAMES }, (_, i) => {
    const name = i === 0 ? `${stem}.new` : `${stem}.new-${i + 1}`;
    return { csr: sibling(oldUri, `${name}.csr`), key: sibling(oldUri, `${name}.key`) };
  });
}

/** The names of the pair's files that exist (a file that cannot be looked at counts as taken). */
async function takenNames(host: NewCsrHost, pair: Pair): Promise<string[]> {
  const present = await Promise.all([pair.csr, pair.key].map((uri) => host.exists(uri).catch(() => true)));
  return [pair.csr, pair.key].filter((_, i) => present[i]).map((uri) => basename(uri));
}

/** A save dialog that comes back until the name it gives is free (or the user cancels). */
async function saveDialog(
  host: NewCsrHost,
  title: string,
  defaultUri: vscode.Uri | undefined,
  filters: Record<string, string[]>,
  notAlso?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  let suggested = defaultUri;
  for (;;) {
    const uri = await vscode.window.showSaveDialog({ title, filters, ...(suggested ? { defaultUri: suggested } : {}) });
    if (uri === undefined) return undefined;
    const same = notAlso !== undefined && uri.toString() === notAlso.toString();
    if (!same && !(await host.exists(uri).catch(() => true))) return uri;
    // Said before the passphrase, not after: the dialog comes back for another name.
    await showModal(
      'warning',
      same
        ? t('The request and the key cannot be written to the same file: choose another name.')
        : t('{0} already exists and is never overwritten: choose another name.', outside(basename(uri))),
      undefined,
      [],
    );
    suggested = uri;
  }
}

/**
 * Where to write: beside `oldUri` (as <name>.new.csr / .new.key, or the next free <name>.new-N
 * when those exist) if given and the user agrees, else save dialogs. Either way the files are
 * free when the step ends, before the passphrase is asked.
 */
function fileSteps(
  host: NewCsrHost,
  oldUri: vscode.Uri | undefined,
  suggestedStem: (state: Answers) => string,
): Step<Answers>[] {
  let besideChosen = false;
  return [
    {
      when: () => oldUri !== undefined,
      title: t('Files to write (existing files are never overwritten)'),
      ask: async (input, state) => {
        const candidates = besideCandidates(oldUri as vscode.Uri);
        const first = candidates[0] as Pair;
        const takenFirst = await takenNames(host, first);
        let free: Pair | undefined = takenFirst.length === 0 ? first : undefined;
        for (const candidate of candidates.slice(1)) {
          if (free !== undefined) break;
          if ((await takenNames(host, candidate)).length === 0) free = candidate;
        }
        const elsewhereItem = { label: t('$(folder-opened) Choose where to save…'), value: false };
        const besideItem =
          free === undefined
            ? undefined
            : {
                label: t('$(file-add) Beside the old request'),
                description: words`${outside(basename(free.csr))}, ${outside(basename(free.key))}`,
                ...(takenFirst.length > 0 && {
                  detail: takenDetail(takenFirst),
                }),
                value: true,
              };
        const items = besideItem === undefined ? [elsewhereItem] : [besideItem, elsewhereItem];
        besideChosen = await input.pick<boolean>({
          placeholder: besideItem === undefined ? noneFreeText(takenFirst, BESIDE_NAMES - 1) : words``,
          items,
        });
        if (besideChosen && free !== undefined) state.paths = free;
        else delete state.paths;
      },
    },
    {
      // The save dialogs, unless the files go beside the old request: a step of the flow without a number.
      when: () => oldUri === undefined || !besideChosen,
      counted: false,
      ask: async (input, state) => {
        const folder =
          oldUri !== undefined ? vscode.Uri.joinPath(oldUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
        const csr = await saveDialog(
          host,
          vscode.l10n.t('Save the new certificate request'),
          folder ? vscode.Uri.joinPath(folder, `${suggestedStem(state)}.csr`) : undefined,
          { [vscode.l10n.t('Certificate request')]: ['csr', 'req', 'pem'] },
        );
        if (csr === undefined) return input.stop();
        const key = await saveDialog(
          host,
          vscode.l10n.t('Save the new private key'),
          keyUriFor(csr),
          { [vscode.l10n.t('Private key')]: ['key', 'pem'] },
          csr,
        );
        if (key === undefined) return input.stop();
        state.paths = { csr, key };
      },
    },
  ];
}

/** The passphrase (asked twice, hidden), or an explicit "no passphrase". */
const passphraseSteps = (): Step<Answers>[] => [
  {
    title: t('Encrypt the private key?'),
    ask: async (input, state) => {
      state.protect = await input.pick<boolean>({
        placeholder: words``,
        items: [
          {
            label: t('$(lock) Protect the key with a passphrase'),
            description: t('recommended'),
            value: true,
          },
          {
            label: t('$(unlock) No passphrase'),
            description: t('anyone who gets a copy of the key file can use it'),
            value: false,
          },
        ],
        ...(state.protect !== undefined && { active: state.protect }),
      });
    },
  },
  {
    when: (state) => state.protect !== false,
    title: t('Passphrase for the new private key'),
    ask: async (input, state) => {
      state.passphrase = await input.text({
        prompt: t('AES-256 encryption; you will need it to use the key or to build a PKCS#12 file.'),
        password: true,
        validate: (value) =>
          value === '' ? t('Enter a passphrase, or go back and choose “No passphrase”.') : undefined,
      });
    },
  },
  {
    when: (state) => state.protect !== false,
    title: t('The same passphrase again'),
    ask: async (input, state) => {
      await input.text({
        prompt: words``,
        password: true,
        validate: (value) => (value !== state.passphrase ? t('The passphrases differ.') : undefined),
      });
    },
  },
];

/** The key type, the files and the passphrase, after the subject's own steps; undefined when the user stopped. */
export async function askKeyAndFiles(
  host: NewCsrHost,
  title: Text,
  subjectSteps: Step<Answers>[],
  oldUri: vscode.Uri | undefined,
  suggestedStem: (state: Answers) => string,
): Promise<(Omit<Answers, 'passphrase'> & { keyType: KeyType; paths: Pair; passphrase: string | null }) | undefined> {
  const answers = await runSteps<Answers>(
    title,
    [...subjectSteps, keyTypeStep(), ...fileSteps(host, oldUri, suggestedStem), ...passphraseSteps()],
    {},
  );
  if (!answers?.keyType || !answers.paths) return undefined;
  const passphrase = answers.protect === false ? null : answers.passphrase;
  if (passphrase === undefined) return undefined;
  return { ...answers, keyType: answers.keyType, paths: answers.paths, passphrase };
}
