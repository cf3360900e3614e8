// "Create a compliant key and CSR…" (from a request Sectigo would refuse with -13) and
// "Sectigo: New CSR…" (from scratch): ask the key type, the files and a passphrase (./new-csr-steps.ts), write both
// files with the host's all-or-nothing writer (./host.ts: Node's file system on disk,
// workspace.fs in a virtual folder or the browser), and open the new request. Nothing is sent
// anywhere, so both work in untrusted workspaces; they write only where the user chose, and the
// files are known to be free before the passphrase is asked.
// The private key and the passphrase are never logged, shown or kept.
import * as vscode from 'vscode';
import { outside, words, type Text } from '../../core/outside-text';
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
import { registerGuarded, type Automation, type CommandArguments } from '../shared/command-boundary';
import type { SectigoLog } from '../shared/log';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import { showInformation, showModal, withProgressNotification } from '../shared/messages';
import { problemText, t } from '../shared/text';
import type { DocumentAnalyses } from './analysis';
import type { EditorHost } from './host';
import { askKeyAndFiles, basename, keyTypeLabels, type Pair } from './new-csr-steps';
import { orderRefusedFor, type RememberedOrders } from './remembered-order';
import type { OrderHistoryReader } from '../../core/sectigo/orders-store';

/** Given by tests as the last argument: no prompts (honoured only outside a production install). */
const NEW_CSR_AUTOMATION = {
  keyType: 'string?',
  csrPath: 'string?',
  keyPath: 'string?',
  /** Instead of the paths, for a folder that is not on disk: URIs as strings. */
  csrUri: 'string?',
  keyUri: 'string?',
  /** null: no passphrase. */
  passphrase: 'string|null?',
  /** From scratch only. */
  email: 'string?',
  cn: 'string?',
} as const;
type NewCsrAutomation = Automation<typeof NEW_CSR_AUTOMATION>;

export interface NewCsrResult {
  csrUri: vscode.Uri;
  keyUri: vscode.Uri;
  report: CsrReport;
  /** The key landed in a git work tree without being ignored (the user was warned). */
  keyExposedToGit: boolean;
  /** The order a replace with the old request was refused for (-13), offered for the new one. */
  rememberedOrderNumber?: string;
}

interface Plan {
  subject: RequestSubject;
  keyType: KeyType;
  paths: Pair;
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
  // Before the key is made: an existing file (one that appeared since it was chosen) is a quick, clear refusal.
  await host.newCsr.checkFree(plan.paths);
  const created = await withProgressNotification(
    t('Creating a {0} key and a certificate request…', outside(keyTypeLabels[plan.keyType])),
    false,
    () => generator.generateRequest(plan.subject, plan.keyType, plan.passphrase, basename(plan.paths.csr)),
  );
  const exposed = (await host.newCsr.exposedToGit(plan.paths.key)) === true;
  const { keyAccess } = await host.newCsr.write(plan.paths, created.csrPem, created.keyPem);
  const { csr: csrUri, key: keyUri } = plan.paths;
  // Before it opens, so that its Replace lens already names the order.
  if (plan.orderNumber !== undefined) await remembered?.remember(csrUri, plan.orderNumber);
  await vscode.window.showTextDocument(csrUri, { preview: false });
  // File names are outside text: a name such as "[x](command:…).csr" is shown as the characters it is.
  const [csrName, keyName] = [outside(basename(csrUri)), outside(basename(keyUri))];
  // A file system without permission bits (a virtual folder, the browser) cannot make the key owner-only: say so.
  const message =
    keyAccess !== null
      ? plan.passphrase === null
        ? t('Created {0} and the private key {1} (owner-only, NOT encrypted).', csrName, keyName)
        : t('Created {0} and the private key {1} (owner-only, encrypted with your passphrase).', csrName, keyName)
      : plan.passphrase === null
        ? t(
            'Created {0} and the private key {1} (NOT encrypted; this folder cannot restrict who reads it).',
            csrName,
            keyName,
          )
        : t(
            'Created {0} and the private key {1} (encrypted with your passphrase; this folder cannot make it readable by you only, so keep it out of shared folders).',
            csrName,
            keyName,
          );
  if (!automated) {
    if (exposed) {
      void showModal(
        'warning',
        t(
          'The private key {0} is inside a git repository and not ignored: a commit could publish it. Move it out, or add it to .gitignore, before you commit.',
          outside(vscode.workspace.asRelativePath(keyUri, false)),
        ),
        undefined,
        [],
      );
    }
    const [replace] = createdChoices(plan.orderNumber, vscode.workspace.isTrusted && host.callsAvailable);
    void showInformation(message, ...(replace === undefined ? [] : [replace])).then((choice) => {
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
export function createdChoices(orderNumber: string | undefined, trusted: boolean): Text[] {
  if (!trusted) return [];
  return [
    orderNumber === undefined ? t('Replace S/MIME Order…') : t('Replace S/MIME Order {0}…', outside(orderNumber)),
  ];
}

/** POSIX `/…` or Windows `C:\…`: the automation's paths are absolute, never resolved against a folder. */
const absolutePath = /^(\/|[A-Za-z]:[\\/])/;

/** The files named by csrPath/keyPath (absolute paths on disk) or csrUri/keyUri (any file system). */
function automationPaths(automation: NewCsrAutomation): Pair {
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
  const answers = await askKeyAndFiles(
    host.newCsr,
    t('Create a compliant key and CSR'),
    [],
    // "Beside the old request" where its folder can take new files (not an untitled document, not a read-only folder).
    host.newCsr.canWriteBeside(uri) ? uri : undefined,
    () => 'new',
  );
  if (!answers) return undefined;
  const { keyType, paths, passphrase } = answers;
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
  const answers = await askKeyAndFiles(
    host.newCsr,
    t('New CSR'),
    [
      {
        title: t('New CSR: the e-mail address to certify'),
        ask: async (input, state) => {
          const email = await input.text({
            prompt: words``,
            placeholder: words`alice@example.com`,
            value: state.email ?? '',
            validate: (value) => problemText(value === '' ? undefined : (emailProblem(value.trim()) ?? undefined)),
          });
          if (email.trim() === '') input.stop();
          state.email = email.trim();
        },
      },
      {
        title: t('New CSR: the name (common name)'),
        ask: async (input, state) => {
          state.name = (
            await input.text({
              prompt: t('Leave empty to use the e-mail address.'),
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
  return createAndOpen(host, { subject, keyType, paths, passphrase }, false);
}

export function registerNewCsrCommands(
  context: vscode.ExtensionContext,
  analyses: DocumentAnalyses,
  history: OrderHistoryReader,
  remembered: RememberedOrders,
  log: SectigoLog,
  host: EditorHost,
): void {
  // Every field's type is checked by the reader; what the fields say, where they are used (automationPlan, createFromScratch).
  const automationOf = (args: CommandArguments): NewCsrAutomation | undefined => args.automation(NEW_CSR_AUTOMATION);
  const what = t('No key or CSR was created');
  context.subscriptions.push(
    registerGuarded(log, Commands.createCompliantCsr, what, async (args) => {
      const automation = automationOf(args);
      const editor = vscode.window.activeTextEditor;
      const uri = args.uri ?? (editor?.document.languageId === LANGUAGE_ID ? editor.document.uri : undefined);
      if (uri === undefined) return createFromScratch(host, automation);
      return createFromRequest(host, history, remembered, analyses, uri, args.blockIndex, automation);
    }),
    registerGuarded(log, Commands.newCsr, what, async (args) => createFromScratch(host, automationOf(args))),
  );
}
