// "Sectigo: Inspect CSR" and its selection and clipboard variants: a read-only markdown report
// beside the editor. The report is a virtual document on its own scheme (nothing is written to
// disk, and the editor cannot save or change it), shown in the markdown preview. A report of a
// file follows the file as it is edited; a report of a selection or the clipboard is a snapshot.
import * as vscode from 'vscode';
import { markup } from '../../core/markdown-text';
import { outside, outsideError, words, type Text } from '../../core/outside-text';
import { registerGuarded } from '../shared/command-boundary';
import { markdownDocument } from '../shared/markdown-string';
import { showError, showWarning } from '../shared/messages';
import { Commands } from '../shared/ids';
import { t } from '../shared/text';
import type { SectigoLog } from '../shared/log';
import { displayName, type DocumentAnalyses, type DocumentAnalysis } from './analysis';
import { blockAt } from './ranges';
import { reportMarkdown } from './report-markdown';

const REPORT_SCHEME = 'sectigo-csr-report';
/** Reports kept for reopening; older ones say they are gone (snapshots hold CSR text in memory). */
const MAX_REPORTS = 32;
const REFRESH_DELAY_MS = 300;

type ReportSource =
  | { readonly kind: 'document'; readonly uri: vscode.Uri; readonly index: number | undefined }
  | { readonly kind: 'snapshot'; readonly label: Text; readonly analysis: DocumentAnalysis };

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

class CsrReportProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sources = new Map<string, { readonly source: ReportSource; readonly uri: vscode.Uri }>();
  private readonly refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: DocumentAnalyses) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeTextDocument((event) => this.sourceChanged(event.document.uri)),
    ];
  }

  /** A report URI for this source; the same file and block reuse one, so the preview is replaced rather than stacked. */
  reportUri(source: ReportSource, title: string): vscode.Uri {
    if (source.kind === 'document') {
      for (const existing of this.sources.values()) {
        const known = existing.source;
        if (known.kind === 'document' && known.uri.toString() === source.uri.toString() && known.index === source.index)
          return existing.uri;
      }
    }
    const id = String(this.nextId++);
    const uri = vscode.Uri.from({
      scheme: REPORT_SCHEME,
      path: `/${vscode.l10n.t('CSR report')} - ${basename(title)}.md`,
      query: id,
    });
    this.sources.set(id, { source, uri });
    // Maps iterate in insertion order: the first key is the oldest report.
    while (this.sources.size > MAX_REPORTS) this.sources.delete(this.sources.keys().next().value as string);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = this.sources.get(uri.query)?.source;
    const core = await this.analyses.core();
    if (source === undefined)
      return markdownDocument(
        markup`# ${t('This report is no longer available')}\n\n${t('Run “Sectigo: Inspect CSR” again.')}\n`,
      );
    if (source.kind === 'snapshot') return markdownDocument(reportMarkdown(source.label, source.analysis, core));
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(source.uri);
    } catch (error) {
      // Deleted or moved since the report was opened: say so in the report rather than fail to show it.
      return markdownDocument(
        markup`# ${t('{0} can no longer be read', outside(displayName(source.uri)))}\n\n${outsideError(error)}\n`,
      );
    }
    return markdownDocument(
      reportMarkdown(words`${outside(displayName(source.uri))}`, await this.analyses.get(document), core, source.index),
    );
  }

  private sourceChanged(uri: vscode.Uri): void {
    const key = uri.toString();
    const follows = (entry: { readonly source: ReportSource }): boolean =>
      entry.source.kind === 'document' && entry.source.uri.toString() === key;
    if (![...this.sources.values()].some(follows)) return;
    const pending = this.refreshTimers.get(key);
    if (pending !== undefined) clearTimeout(pending);
    this.refreshTimers.set(
      key,
      setTimeout(() => {
        this.refreshTimers.delete(key);
        for (const entry of this.sources.values()) if (follows(entry)) this.changed.fire(entry.uri);
      }, REFRESH_DELAY_MS),
    );
  }

  dispose(): void {
    for (const timer of this.refreshTimers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.sources.clear();
  }
}

/** Opens the report read-only beside the editor, as a rendered preview when the markdown extension is there. */
async function showReport(uri: vscode.Uri): Promise<vscode.Uri> {
  const document = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // Without the built-in markdown extension the source is still a readable report.
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
      preserveFocus: true,
    });
  }
  return uri;
}

export function registerInspectCommands(
  context: vscode.ExtensionContext,
  analyses: DocumentAnalyses,
  log: SectigoLog,
): CsrReportProvider {
  const provider = new CsrReportProvider(analyses);

  async function inspectCsr(
    target: vscode.Uri | undefined,
    blockIndex: number | undefined,
  ): Promise<vscode.Uri | undefined> {
    let uri = target;
    // The explorer passes (uri, selectedUris): the reader keeps only a number as a block index.
    let index = blockIndex;
    if (uri === undefined) {
      const editor = vscode.window.activeTextEditor;
      if (editor === undefined) {
        void showWarning(t('Open a certificate request first, or use “Sectigo: Inspect CSR in Clipboard”.'));
        return undefined;
      }
      uri = editor.document.uri;
      const analysis = await analyses.get(editor.document);
      // The block under the cursor; when the cursor is in none of them, the report covers them all.
      if (analysis.kind === 'analysed') index = blockAt(analysis.results, editor.selection.active)?.index;
    }
    try {
      await vscode.workspace.openTextDocument(uri);
    } catch (error) {
      void showError(t('Cannot open {0}: {1}', outside(displayName(uri)), outsideError(error)));
      return undefined;
    }
    return showReport(provider.reportUri({ kind: 'document', uri, index }, displayName(uri)));
  }

  async function inspectSnapshot(
    text: string,
    label: string,
    shownLabel: Text,
    emptyMessage: Text,
  ): Promise<vscode.Uri | undefined> {
    if (text.trim() === '') {
      void showWarning(emptyMessage);
      return undefined;
    }
    const analysis = await analyses.analyseText(text, label);
    if (analysis.kind === 'analysed' && analysis.results.length === 0) {
      void showWarning(t('No certificate request was found in the {0}.', shownLabel));
      return undefined;
    }
    return showReport(provider.reportUri({ kind: 'snapshot', label: shownLabel, analysis }, label));
  }

  async function inspectSelection(): Promise<vscode.Uri | undefined> {
    const editor = vscode.window.activeTextEditor;
    const text =
      editor === undefined
        ? ''
        : editor.selections
            .map((selection) => editor.document.getText(selection))
            .filter((part) => part !== '')
            .join('\n');
    return inspectSnapshot(
      text,
      vscode.l10n.t('selection'),
      t('selection'),
      t('Select the text of a certificate request first.'),
    );
  }

  async function inspectClipboard(): Promise<vscode.Uri | undefined> {
    const text = await vscode.env.clipboard.readText();
    return inspectSnapshot(
      text,
      vscode.l10n.t('clipboard'),
      t('clipboard'),
      t('The clipboard is empty: copy a certificate request (PEM or Base64) first.'),
    );
  }

  context.subscriptions.push(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, provider),
    registerGuarded(log, Commands.inspectCsr, t('Inspect CSR'), (args) =>
      inspectCsr(args.uri ?? args.linkedUri, args.blockIndex),
    ),
    registerGuarded(log, Commands.inspectSelection, t('Inspect CSR selection'), inspectSelection),
    registerGuarded(log, Commands.inspectClipboard, t('Inspect CSR in clipboard'), inspectClipboard),
  );
  return provider;
}
