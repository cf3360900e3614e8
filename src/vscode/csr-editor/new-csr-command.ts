// "Create a compliant key and CSR…" (from a request Sectigo would refuse with -13) and
// "Sectigo: New CSR…" (from scratch): ask the key type, the files and a passphrase, write both
// files with the host's all-or-nothing writer (./host.ts: Node's file system on disk,
// workspace.fs in a virtual folder or the browser), and open the new request. Nothing is sent
// anywhere, so both work in untrusted workspaces; they write only where the user chose.
// The private key and the passphrase are never logged, shown or kept.
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
import { isAutomation } from '../calls/command-plumbing';
import { Commands, LANGUAGE_ID } from '../ids';
import type { DocumentAnalyses } from './analysis';
import type { EditorHost, NewCsrHost } from './host';
import { orderRefusedFor, type RememberedOrders } from './remembered-order';
import type { OrderHistoryReader } from '../calls/orders-store';

/** Given by tests as the last argument: no prompts (honoured only outside a production install). */
export interface NewCsrAutomation {
  confirm: true;
  keyType?: string;
  csrPath?: string;
  keyPath?: string;
  /** Instead of the paths, for a folder that is not on disk: URIs as strings. */
  csrUri?: string;
  keyUri?: string;
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

async function pickKeyType(): Promise<KeyType | undefined> {
  const ordered = [recommendedKeyType, ...keyTypes.filter((type) => type !== recommendedKeyType)];
  const items = ordered.map((type) => ({
    label: keyTypeLabels[type],
    description:
      type === recommendedKeyType
        ? vscode.l10n.t('recommended: what S/MIME clients handle most widely')
        : type.startsWith('ec')
          ? vscode.l10n.t('smaller and faster; some mail clients lack EC S/MIME')
          : undefined,
    type,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Key type for the new private key'),
    ignoreFocusOut: true,
  });
  return picked?.type;
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function sibling(uri: vscode.Uri, name: string): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..', name);
}

function keyUriFor(csr: vscode.Uri): vscode.Uri {
  const name = basename(csr);
  const stem = /\.(csr|req|pem)$/i.test(name) ? name.replace(/\.(csr|req|pem)$/i, '') : name;
  return sibling(csr, `${stem}.key`);
}

async function saveDialog(
  title: string,
  defaultUri: vscode.Uri | undefined,
  filters: Record<string, string[]>,
): Promise<vscode.Uri | undefined> {
  return vscode.window.showSaveDialog({ title, filters, ...(defaultUri ? { defaultUri } : {}) });
}

/** Where to write: beside `oldUri` (as <name>.new.csr / .new.key) if given and the user agrees, else save dialogs. */
async function pickFiles(
  host: NewCsrHost,
  oldUri: vscode.Uri | undefined,
  suggestedStem: string,
): Promise<{ csr: vscode.Uri; key: vscode.Uri } | undefined> {
  if (oldUri !== undefined) {
    const stem = basename(oldUri).replace(/\.[^.]*$/, '');
    const beside = { csr: sibling(oldUri, `${stem}.new.csr`), key: sibling(oldUri, `${stem}.new.key`) };
    const present = await Promise.all([beside.csr, beside.key].map((uri) => host.exists(uri).catch(() => true)));
    const taken = [beside.csr, beside.key].filter((_, i) => present[i]).map((uri) => basename(uri));
    const besideItem = {
      label: vscode.l10n.t('$(file-add) Beside the old request'),
      description: `${basename(beside.csr)}, ${basename(beside.key)}`,
      detail:
        taken.length > 0
          ? vscode.l10n.t(
              '{0} already exists and is never overwritten: choose where to save instead.',
              taken.join(', '),
            )
          : undefined,
      beside: true,
    };
    const elsewhereItem = {
      label: vscode.l10n.t('$(folder-opened) Choose where to save…'),
      description: undefined,
      detail: undefined,
      beside: false,
    };
    const picked = await vscode.window.showQuickPick(
      taken.length > 0 ? [elsewhereItem, besideItem] : [besideItem, elsewhereItem],
      { title: vscode.l10n.t('Files to write (existing files are never overwritten)'), ignoreFocusOut: true },
    );
    if (picked === undefined) return undefined;
    if (picked.beside) return beside;
  }
  const folder = oldUri !== undefined ? vscode.Uri.joinPath(oldUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const csr = await saveDialog(
    vscode.l10n.t('Save the new certificate request'),
    folder ? vscode.Uri.joinPath(folder, `${suggestedStem}.csr`) : undefined,
    { [vscode.l10n.t('Certificate request')]: ['csr', 'req', 'pem'] },
  );
  if (csr === undefined) return undefined;
  const key = await saveDialog(vscode.l10n.t('Save the new private key'), keyUriFor(csr), {
    [vscode.l10n.t('Private key')]: ['key', 'pem'],
  });
  return key === undefined ? undefined : { csr, key };
}

/** The passphrase (asked twice, hidden), null for an explicit "no passphrase", undefined when the user stopped. */
async function askPassphrase(): Promise<string | null | undefined> {
  const protect = {
    label: vscode.l10n.t('$(lock) Protect the key with a passphrase'),
    description: vscode.l10n.t('recommended'),
    protect: true,
  };
  const plain = {
    label: vscode.l10n.t('$(unlock) No passphrase'),
    description: vscode.l10n.t('anyone who gets a copy of the key file can use it'),
    protect: false,
  };
  const choice = await vscode.window.showQuickPick([protect, plain], {
    title: vscode.l10n.t('Encrypt the private key?'),
    ignoreFocusOut: true,
  });
  if (choice === undefined) return undefined;
  if (!choice.protect) return null;
  const first = await vscode.window.showInputBox({
    title: vscode.l10n.t('Passphrase for the new private key'),
    prompt: vscode.l10n.t('AES-256 encryption; you will need it to use the key or to build a PKCS#12 file.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value === '' ? vscode.l10n.t('Enter a passphrase, or go back and choose “No passphrase”.') : undefined,
  });
  if (first === undefined) return undefined;
  const second = await vscode.window.showInputBox({
    title: vscode.l10n.t('The same passphrase again'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value !== first ? vscode.l10n.t('The passphrases differ.') : undefined),
  });
  return second === undefined ? undefined : second;
}

interface Plan {
  subject: RequestSubject;
  keyType: KeyType;
  paths: { csr: vscode.Uri; key: vscode.Uri };
  passphrase: string | null;
  /** The order the old request was refused for, to offer a replace of it with the new one. */
  orderNumber?: string;
}

/** Generates, checks, writes both files, opens the request, and says what was done. */
async function createAndOpen(
  host: EditorHost,
  plan: Plan,
  automated: boolean,
  remembered?: RememberedOrders,
): Promise<NewCsrResult> {
  const generator = await host.newCsr.loadGenerator();
  // Before the key is made: an existing file is a quick, clear refusal.
  await host.newCsr.checkFree(plan.paths);
  const created = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Creating a {0} key and a certificate request…', keyTypeLabels[plan.keyType]),
    },
    () => generator.generateRequest(plan.subject, plan.keyType, plan.passphrase, basename(plan.paths.csr)),
  );
  const exposed = (await host.newCsr.exposedToGit(plan.paths.key)) === true;
  const { ownerOnly } = await host.newCsr.write(plan.paths, created.csrPem, created.keyPem);
  const csrUri = plan.paths.csr;
  const keyUri = plan.paths.key;
  // Before it opens, so that its Replace lens already names the order.
  if (plan.orderNumber !== undefined) await remembered?.remember(csrUri, plan.orderNumber);
  await vscode.window.showTextDocument(csrUri, { preview: false });
  const [csrName, keyName] = [basename(plan.paths.csr), basename(plan.paths.key)];
  // A file system without permission bits (a virtual folder, the browser) cannot make the key owner-only: say so.
  const message = ownerOnly
    ? plan.passphrase === null
      ? vscode.l10n.t('Created {0} and the private key {1} (owner-only, NOT encrypted).', csrName, keyName)
      : vscode.l10n.t(
          'Created {0} and the private key {1} (owner-only, encrypted with your passphrase).',
          csrName,
          keyName,
        )
    : plan.passphrase === null
      ? vscode.l10n.t(
          'Created {0} and the private key {1} (NOT encrypted; this folder cannot restrict who reads it).',
          csrName,
          keyName,
        )
      : vscode.l10n.t('Created {0} and the private key {1} (encrypted with your passphrase).', csrName, keyName);
  if (!automated) {
    if (exposed) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The private key {0} is inside a git repository and not ignored: a commit could publish it. Move it out, or add it to .gitignore, before you commit.',
          vscode.workspace.asRelativePath(plan.paths.key, false),
        ),
        { modal: true },
      );
    }
    const [replace] = createdChoices(plan.orderNumber, vscode.workspace.isTrusted && host.callsAvailable);
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
 * workspace in Restricted Mode may not start (nor a browser: `trusted` is false there), so none
 * is offered there.
 */
export function createdChoices(orderNumber: string | undefined, trusted: boolean): string[] {
  if (!trusted) return [];
  return [
    orderNumber === undefined
      ? vscode.l10n.t('Replace S/MIME Order…')
      : vscode.l10n.t('Replace S/MIME Order {0}…', orderNumber),
  ];
}

/** POSIX `/…` or Windows `C:\…`: the automation's paths are absolute, never resolved against a folder. */
const absolutePath = /^(\/|[A-Za-z]:[\\/])/;

/** The files named by csrPath/keyPath (absolute paths on disk) or csrUri/keyUri (any file system). */
function automationPaths(automation: NewCsrAutomation): { csr: vscode.Uri; key: vscode.Uri } {
  const { csrPath, keyPath, csrUri, keyUri } = automation;
  if (typeof csrUri === 'string' && typeof keyUri === 'string' && csrPath === undefined && keyPath === undefined)
    return { csr: vscode.Uri.parse(csrUri, true), key: vscode.Uri.parse(keyUri, true) };
  if (
    typeof csrPath !== 'string' ||
    !absolutePath.test(csrPath) ||
    typeof keyPath !== 'string' ||
    !absolutePath.test(keyPath)
  )
    throw new Error('csrPath and keyPath must be absolute paths (or give csrUri and keyUri)');
  return { csr: vscode.Uri.file(csrPath), key: vscode.Uri.file(keyPath) };
}

/** The plan from a programmatic argument object, every field checked: it comes from outside. */
function automationPlan(automation: NewCsrAutomation, subject: RequestSubject): Plan {
  const keyType = automation.keyType ?? recommendedKeyType;
  if (typeof keyType !== 'string' || !isKeyType(keyType))
    throw new Error(`keyType ${String(keyType)} is not offered; choose one of ${keyTypes.join(', ')}`);
  const { passphrase } = automation;
  if (passphrase !== null && (typeof passphrase !== 'string' || passphrase === ''))
    throw new Error('passphrase must be a non-empty string, or null for none');
  return { subject, keyType, paths: automationPaths(automation), passphrase };
}

/** From a request in a document (the block `index`, or the first one). */
async function createFromRequest(
  host: EditorHost,
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
      host,
      { ...automationPlan(automation, subject), ...(orderNumber === undefined ? {} : { orderNumber }) },
      true,
      remembered,
    );
  const keyType = await pickKeyType();
  if (keyType === undefined) return undefined;
  // "Beside the old request" where its folder can take new files (not an untitled document, not a read-only folder).
  const paths = await pickFiles(host.newCsr, host.newCsr.canWriteBeside(uri) ? uri : undefined, 'new');
  if (paths === undefined) return undefined;
  const passphrase = await askPassphrase();
  if (passphrase === undefined) return undefined;
  return createAndOpen(
    host,
    { subject, keyType, paths, passphrase, ...(orderNumber === undefined ? {} : { orderNumber }) },
    false,
    remembered,
  );
}

/** From scratch: e-mail, name, key type. */
async function createFromScratch(
  host: EditorHost,
  automation: NewCsrAutomation | undefined,
): Promise<NewCsrResult | undefined> {
  if (automation) {
    const { email, cn } = automation;
    if (typeof email !== 'string' || (cn !== undefined && typeof cn !== 'string'))
      throw new Error('email (and cn, when given) must be strings');
    return createAndOpen(host, automationPlan(automation, subjectFromOptions({ email, cn })), true);
  }
  const email = await vscode.window.showInputBox({
    title: vscode.l10n.t('New CSR: the e-mail address to certify'),
    placeHolder: 'alice@example.com',
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' ? undefined : (emailProblem(value.trim()) ?? undefined)),
  });
  if (email === undefined || email.trim() === '') return undefined;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('New CSR: the name (common name)'),
    prompt: vscode.l10n.t('Leave empty to use the e-mail address.'),
    ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;
  const subject = subjectFromOptions({ email: email.trim(), cn: name.trim() === '' ? undefined : name.trim() });
  const keyType = await pickKeyType();
  if (keyType === undefined) return undefined;
  const paths = await pickFiles(
    host.newCsr,
    undefined,
    email
      .trim()
      .replace(/@.*$/, '')
      .replace(/[^\w.-]/g, '_') || 'new',
  );
  if (paths === undefined) return undefined;
  const passphrase = await askPassphrase();
  if (passphrase === undefined) return undefined;
  return createAndOpen(host, { subject, keyType, paths, passphrase }, false);
}

/** The command boundary: an error is shown with what to do; automation gets it thrown. */
async function guarded(
  automated: boolean,
  body: () => Promise<NewCsrResult | undefined>,
): Promise<NewCsrResult | undefined> {
  try {
    return await body();
  } catch (error) {
    if (automated) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(vscode.l10n.t('No key or CSR was created: {0}', reason));
    return undefined;
  }
}

export function registerNewCsrCommands(
  context: vscode.ExtensionContext,
  analyses: DocumentAnalyses,
  history: OrderHistoryReader,
  remembered: RememberedOrders,
  host: EditorHost,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.createCompliantCsr, (...args: unknown[]) => {
      const last = args[args.length - 1];
      const automation = isAutomation(last) ? (last as unknown as NewCsrAutomation) : undefined;
      const editor = vscode.window.activeTextEditor;
      const uri =
        args[0] instanceof vscode.Uri
          ? args[0]
          : editor?.document.languageId === LANGUAGE_ID
            ? editor.document.uri
            : undefined;
      const index = typeof args[1] === 'number' && Number.isInteger(args[1]) && args[1] >= 0 ? args[1] : undefined;
      if (uri === undefined) return guarded(automation !== undefined, () => createFromScratch(host, automation));
      return guarded(automation !== undefined, () =>
        createFromRequest(host, history, remembered, analyses, uri, index, automation),
      );
    }),
    vscode.commands.registerCommand(Commands.newCsr, (...args: unknown[]) => {
      const last = args[args.length - 1];
      const automation = isAutomation(last) ? (last as unknown as NewCsrAutomation) : undefined;
      return guarded(automation !== undefined, () => createFromScratch(host, automation));
    }),
  );
}
