// "Create a compliant key and CSR…" (from a request Sectigo would refuse with -13) and
// "Sectigo: New CSR…" (from scratch): ask the key type, the files and a passphrase, write both
// files with the core's all-or-nothing writer, and open the new request. Nothing is sent
// anywhere, so both work in untrusted workspaces; they write only where the user chose.
// The private key and the passphrase are never logged, shown or kept.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { isCsrReport, type CsrReport } from '../../core/csr/types';
import {
  emailProblem,
  isKeyType,
  keyTypes,
  recommendedKeyType,
  subjectFromOptions,
  subjectFromReport,
  type KeyType,
  type RequestSubject,
} from '../../core/csr-new/subject';
import { registerGuarded, type CommandArguments } from '../shared/command-boundary';
import { runSteps, type Step } from '../shared/multi-step-input';
import type { SectigoLog } from '../shared/log';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import type { DocumentAnalyses } from './analysis';
import { loadBundle } from '../bundles/load';
import { orderRefusedFor, type RememberedOrders } from './remembered-order';
import type { OrderHistoryReader } from '../../core/sectigo/orders-store';

/** Given by tests as the last argument: no prompts (honoured only outside a production install). */
export interface NewCsrAutomation {
  confirm: true;
  keyType?: string;
  csrPath?: string;
  keyPath?: string;
  /** null: no passphrase. */
  passphrase?: string | null;
  /** From scratch only. */
  email?: string;
  cn?: string;
}

export interface NewCsrResult {
  csrUri: vscode.Uri;
  keyUri: vscode.Uri;
  report: CsrReport;
  /** The key landed in a git work tree without being ignored (the user was warned). */
  keyExposedToGit: boolean;
  /** The order a replace with the old request was refused for (-13), offered for the new one. */
  rememberedOrderNumber?: string;
}

const keyTypeLabels: Record<KeyType, string> = {
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
  'ec-p256': 'EC P-256',
  'ec-p384': 'EC P-384',
};

/** What the questions of a new key and request gather. */
interface Answers {
  email?: string;
  name?: string;
  keyType?: KeyType;
  paths?: { csr: string; key: string };
  protect?: boolean;
  passphrase?: string;
}

const keyTypeStep = (): Step<Answers> => ({
  title: vscode.l10n.t('Key type for the new private key'),
  ask: async (input, state) => {
    const ordered = [recommendedKeyType, ...keyTypes.filter((type) => type !== recommendedKeyType)];
    state.keyType = await input.pick<KeyType>({
      placeholder: '',
      items: ordered.map((type) => ({
        label: keyTypeLabels[type],
        description:
          type === recommendedKeyType
            ? vscode.l10n.t('recommended: what S/MIME clients handle most widely')
            : type.startsWith('ec')
              ? vscode.l10n.t('smaller and faster; some mail clients lack EC S/MIME')
              : undefined,
        value: type,
      })),
      ...(state.keyType !== undefined && { active: state.keyType }),
    });
  },
});

function keyPathFor(csrPath: string): string {
  const name = basename(csrPath);
  const stem = /\.(csr|req|pem)$/i.test(name) ? name.replace(/\.(csr|req|pem)$/i, '') : name;
  return join(dirname(csrPath), `${stem}.key`);
}

async function saveDialog(
  title: string,
  defaultPath: string | undefined,
  filters: Record<string, string[]>,
): Promise<string | undefined> {
  const uri = await vscode.window.showSaveDialog({
    title,
    filters,
    ...(defaultPath ? { defaultUri: vscode.Uri.file(defaultPath) } : {}),
  });
  if (uri === undefined) return undefined;
  // The core writes with Node's file system: the chosen place must be a file of this machine (or of the remote the extension runs on).
  if (uri.scheme !== 'file')
    throw new Error(vscode.l10n.t('Choose a file on disk: {0} cannot be written here.', uri.toString()));
  return uri.fsPath;
}

/** Where to write: beside `oldPath` (as <name>.new.csr / .new.key) if given and the user agrees, else save dialogs. */
function fileSteps(oldPath: string | undefined, suggestedStem: (state: Answers) => string): Step<Answers>[] {
  const beside =
    oldPath === undefined
      ? undefined
      : (() => {
          const stem = basename(oldPath).replace(/\.[^.]*$/, '');
          return { csr: join(dirname(oldPath), `${stem}.new.csr`), key: join(dirname(oldPath), `${stem}.new.key`) };
        })();
  return [
    {
      when: () => beside !== undefined,
      title: vscode.l10n.t('Files to write (existing files are never overwritten)'),
      ask: async (input, state) => {
        const files = beside as { csr: string; key: string };
        const taken = [files.csr, files.key].filter((path) => existsSync(path)).map((path) => basename(path));
        const besideItem = {
          label: vscode.l10n.t('$(file-add) Beside the old request'),
          description: `${basename(files.csr)}, ${basename(files.key)}`,
          ...(taken.length > 0 && {
            detail: vscode.l10n.t(
              '{0} already exists and is never overwritten: choose where to save instead.',
              taken.join(', '),
            ),
          }),
          value: true,
        };
        const elsewhereItem = { label: vscode.l10n.t('$(folder-opened) Choose where to save…'), value: false };
        const besideChosen = await input.pick<boolean>({
          placeholder: '',
          items: taken.length > 0 ? [elsewhereItem, besideItem] : [besideItem, elsewhereItem],
        });
        if (besideChosen) state.paths = files;
        else delete state.paths;
      },
    },
    {
      // The save dialogs, unless the files go beside the old request: a step of the flow without a number.
      when: (state) => beside === undefined || state.paths === undefined,
      counted: false,
      ask: async (input, state) => {
        const folder =
          oldPath !== undefined
            ? dirname(oldPath)
            : vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file'
              ? vscode.workspace.workspaceFolders[0].uri.fsPath
              : undefined;
        const csr = await saveDialog(
          vscode.l10n.t('Save the new certificate request'),
          folder ? join(folder, `${suggestedStem(state)}.csr`) : undefined,
          { [vscode.l10n.t('Certificate request')]: ['csr', 'req', 'pem'] },
        );
        if (csr === undefined) return input.stop();
        const key = await saveDialog(vscode.l10n.t('Save the new private key'), keyPathFor(csr), {
          [vscode.l10n.t('Private key')]: ['key', 'pem'],
        });
        if (key === undefined) return input.stop();
        state.paths = { csr, key };
      },
    },
  ];
}

/** The passphrase (asked twice, hidden), or an explicit "no passphrase". */
const passphraseSteps = (): Step<Answers>[] => [
  {
    title: vscode.l10n.t('Encrypt the private key?'),
    ask: async (input, state) => {
      state.protect = await input.pick<boolean>({
        placeholder: '',
        items: [
          {
            label: vscode.l10n.t('$(lock) Protect the key with a passphrase'),
            description: vscode.l10n.t('recommended'),
            value: true,
          },
          {
            label: vscode.l10n.t('$(unlock) No passphrase'),
            description: vscode.l10n.t('anyone who gets a copy of the key file can use it'),
            value: false,
          },
        ],
        ...(state.protect !== undefined && { active: state.protect }),
      });
    },
  },
  {
    when: (state) => state.protect !== false,
    title: vscode.l10n.t('Passphrase for the new private key'),
    ask: async (input, state) => {
      state.passphrase = await input.text({
        prompt: vscode.l10n.t('AES-256 encryption; you will need it to use the key or to build a PKCS#12 file.'),
        password: true,
        validate: (value) =>
          value === '' ? vscode.l10n.t('Enter a passphrase, or go back and choose “No passphrase”.') : undefined,
      });
    },
  },
  {
    when: (state) => state.protect !== false,
    title: vscode.l10n.t('The same passphrase again'),
    ask: async (input, state) => {
      await input.text({
        prompt: '',
        password: true,
        validate: (value) => (value !== state.passphrase ? vscode.l10n.t('The passphrases differ.') : undefined),
      });
    },
  },
];

/** The key type, the files and the passphrase, after the subject's own steps; undefined when the user stopped. */
async function askKeyAndFiles(
  title: string,
  subjectSteps: Step<Answers>[],
  oldPath: string | undefined,
  suggestedStem: (state: Answers) => string,
): Promise<
  | (Omit<Answers, 'passphrase'> & { keyType: KeyType; paths: { csr: string; key: string }; passphrase: string | null })
  | undefined
> {
  const answers = await runSteps<Answers>(
    title,
    [...subjectSteps, keyTypeStep(), ...fileSteps(oldPath, suggestedStem), ...passphraseSteps()],
    {},
  );
  if (!answers?.keyType || !answers.paths) return undefined;
  const passphrase = answers.protect === false ? null : answers.passphrase;
  if (passphrase === undefined) return undefined;
  return { ...answers, keyType: answers.keyType, paths: answers.paths, passphrase };
}

interface Plan {
  subject: RequestSubject;
  keyType: KeyType;
  paths: { csr: string; key: string };
  passphrase: string | null;
  /** The order the old request was refused for, to offer a replace of it with the new one. */
  orderNumber?: string;
}

/** Generates, checks, writes both files, opens the request, and says what was done. */
async function createAndOpen(plan: Plan, automated: boolean, remembered?: RememberedOrders): Promise<NewCsrResult> {
  const generator = await loadBundle('csr-new');
  // Before the key is made: an existing file is a quick, clear refusal.
  await generator.checkTargetsFree(plan.paths);
  const created = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Creating a {0} key and a certificate request…', keyTypeLabels[plan.keyType]),
    },
    () => generator.generateRequest(plan.subject, plan.keyType, plan.passphrase, basename(plan.paths.csr)),
  );
  const exposed = (await generator.isUnignoredInGitWorkTree(plan.paths.key)) === true;
  await generator.writePair(plan.paths, created.csrPem, created.keyPem);
  const csrUri = vscode.Uri.file(plan.paths.csr);
  const keyUri = vscode.Uri.file(plan.paths.key);
  // Before it opens, so that its Replace lens already names the order.
  if (plan.orderNumber !== undefined) await remembered?.remember(csrUri, plan.orderNumber);
  await vscode.window.showTextDocument(csrUri, { preview: false });
  const message =
    plan.passphrase === null
      ? vscode.l10n.t(
          'Created {0} and the private key {1} (owner-only, NOT encrypted).',
          basename(plan.paths.csr),
          basename(plan.paths.key),
        )
      : vscode.l10n.t(
          'Created {0} and the private key {1} (owner-only, encrypted with your passphrase).',
          basename(plan.paths.csr),
          basename(plan.paths.key),
        );
  if (!automated) {
    if (exposed) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The private key {0} is inside a git repository and not ignored: a commit could publish it. Move it out, or add it to .gitignore, before you commit.',
          plan.paths.key,
        ),
        { modal: true },
      );
    }
    const [replace] = createdChoices(plan.orderNumber, vscode.workspace.isTrusted);
    void vscode.window.showInformationMessage(message, ...(replace === undefined ? [] : [replace])).then((choice) => {
      if (choice !== undefined && choice === replace)
        void vscode.commands.executeCommand(
          Commands.replaceSmime,
          csrUri,
          0,
          ...(plan.orderNumber === undefined ? [] : [plan.orderNumber]),
        );
    });
  }
  return {
    csrUri,
    keyUri,
    report: created.report,
    keyExposedToGit: exposed,
    ...(plan.orderNumber === undefined ? {} : { rememberedOrderNumber: plan.orderNumber }),
  };
}

/**
 * The buttons on the "Created …" notification. Replacing sends the password to Sectigo, which a
 * workspace in Restricted Mode may not start, so none is offered there.
 */
export function createdChoices(orderNumber: string | undefined, trusted: boolean): string[] {
  if (!trusted) return [];
  return [
    orderNumber === undefined
      ? vscode.l10n.t('Replace S/MIME Order…')
      : vscode.l10n.t('Replace S/MIME Order {0}…', orderNumber),
  ];
}

/** The plan from a programmatic argument object, every field checked: it comes from outside. */
function automationPlan(automation: NewCsrAutomation, subject: RequestSubject): Plan {
  const keyType = automation.keyType ?? recommendedKeyType;
  if (typeof keyType !== 'string' || !isKeyType(keyType))
    throw new Error(`keyType ${String(keyType)} is not offered; choose one of ${keyTypes.join(', ')}`);
  const { csrPath, keyPath, passphrase } = automation;
  if (typeof csrPath !== 'string' || !isAbsolute(csrPath) || typeof keyPath !== 'string' || !isAbsolute(keyPath))
    throw new Error('csrPath and keyPath must be absolute paths');
  if (passphrase !== null && (typeof passphrase !== 'string' || passphrase === ''))
    throw new Error('passphrase must be a non-empty string, or null for none');
  return { subject, keyType, paths: { csr: csrPath, key: keyPath }, passphrase };
}

/** From a request in a document (the block `index`, or the first one). */
async function createFromRequest(
  history: OrderHistoryReader,
  remembered: RememberedOrders,
  analyses: DocumentAnalyses,
  uri: vscode.Uri,
  index: number | undefined,
  automation: NewCsrAutomation | undefined,
): Promise<NewCsrResult | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  const analysis = await analyses.get(document);
  if (analysis.kind !== 'analysed')
    throw new Error(vscode.l10n.t('This document is not one the CSR analysis reads (too large or binary).'));
  const reports = analysis.results.filter(isCsrReport);
  // Without a block named (the palette), the first request Sectigo would refuse, else the first.
  const report =
    index !== undefined
      ? reports.find((result) => result.index === index)
      : (reports.find((result) => result.findings.some((finding) => finding.sectigoErrorCode !== null)) ?? reports[0]);
  if (report === undefined)
    throw new Error(vscode.l10n.t('There is no certificate request here to copy the subject from.'));
  const subject = subjectFromReport(report);
  const orderNumber = await orderRefusedFor(history, uri, report.index);
  if (automation)
    return createAndOpen(
      { ...automationPlan(automation, subject), ...(orderNumber === undefined ? {} : { orderNumber }) },
      true,
      remembered,
    );
  const answers = await askKeyAndFiles(
    vscode.l10n.t('Create a compliant key and CSR'),
    [],
    uri.scheme === 'file' ? uri.fsPath : undefined,
    () => 'new',
  );
  if (!answers) return undefined;
  const { keyType, paths, passphrase } = answers;
  return createAndOpen(
    { subject, keyType, paths, passphrase, ...(orderNumber === undefined ? {} : { orderNumber }) },
    false,
    remembered,
  );
}

/** From scratch: e-mail, name, key type. */
async function createFromScratch(automation: NewCsrAutomation | undefined): Promise<NewCsrResult | undefined> {
  if (automation) {
    const { email, cn } = automation;
    if (typeof email !== 'string' || (cn !== undefined && typeof cn !== 'string'))
      throw new Error('email (and cn, when given) must be strings');
    return createAndOpen(automationPlan(automation, subjectFromOptions({ email, cn })), true);
  }
  const answers = await askKeyAndFiles(
    vscode.l10n.t('New CSR'),
    [
      {
        title: vscode.l10n.t('New CSR: the e-mail address to certify'),
        ask: async (input, state) => {
          const email = await input.text({
            prompt: '',
            placeholder: 'alice@example.com',
            value: state.email ?? '',
            validate: (value) => (value === '' ? undefined : (emailProblem(value.trim()) ?? undefined)),
          });
          if (email.trim() === '') input.stop();
          state.email = email.trim();
        },
      },
      {
        title: vscode.l10n.t('New CSR: the name (common name)'),
        ask: async (input, state) => {
          state.name = (
            await input.text({
              prompt: vscode.l10n.t('Leave empty to use the e-mail address.'),
              value: state.name ?? '',
            })
          ).trim();
        },
      },
    ],
    undefined,
    (state) => (state.email ?? '').replace(/@.*$/, '').replace(/[^\w.-]/g, '_') || 'new',
  );
  if (!answers) return undefined;
  const { keyType, paths, passphrase } = answers;
  const subject = subjectFromOptions({
    email: answers.email ?? '',
    cn: answers.name === undefined || answers.name === '' ? undefined : answers.name,
  });
  return createAndOpen({ subject, keyType, paths, passphrase }, false);
}

export function registerNewCsrCommands(
  context: vscode.ExtensionContext,
  analyses: DocumentAnalyses,
  history: OrderHistoryReader,
  remembered: RememberedOrders,
  log: SectigoLog,
): void {
  // Every field of the automation object is checked where it is used (automationPlan, createFromScratch).
  const automationOf = (args: CommandArguments): NewCsrAutomation | undefined =>
    args.automated ? (args.last as NewCsrAutomation) : undefined;
  const what = vscode.l10n.t('No key or CSR was created');
  context.subscriptions.push(
    registerGuarded(log, Commands.createCompliantCsr, what, async (args) => {
      const automation = automationOf(args);
      const editor = vscode.window.activeTextEditor;
      const uri = args.uri ?? (editor?.document.languageId === LANGUAGE_ID ? editor.document.uri : undefined);
      if (uri === undefined) return createFromScratch(automation);
      return createFromRequest(history, remembered, analyses, uri, args.blockIndex, automation);
    }),
    registerGuarded(log, Commands.newCsr, what, async (args) => createFromScratch(automationOf(args))),
  );
}
