// CodeLens above each block: what the request is, what Sectigo would say, and the next actions.
import * as vscode from 'vscode';
import { refusals, type Refusal } from '../../core/csr/refusals';
import { isCsrReport, type CsrAnalysisResult, type CsrReport } from '../../core/csr/types';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import { codeLens } from '../shared/labels';
import { t } from '../shared/text';
import { isCodeLensEnabled, onDidChangeCodeLensSetting } from '../shared/settings';
import { inViewOf, type DocumentAnalyses } from './analysis';
import { compliantCsrTitle, keyRefusedErrorCode } from './new-key-fix';
import type { RememberedOrders } from './remembered-order';
import { toRange } from './ranges';
import { skippedText } from './report-markdown';

/**
 * The words of a refusal lens: the core's short form ("RSA 1024 bits: Sectigo refuses (-13)"),
 * so the actions beside it stay on screen; the whole sentence is its tooltip.
 */
function refusalLensTitle(refusal: Refusal): Text {
  return words`${refusal.certainty === 'certain' ? words`$(error)` : words`$(warning)`} ${outside(refusal.short)}`;
}

/**
 * A document of more blocks than this gets the lenses of the blocks in view first, the others in
 * a second round: VS Code takes in every lens it is given before it draws any, and measured, the
 * 1,500 lenses of 500 blocks took about a second to come through on a busy machine.
 */
const VIEW_FIRST_BLOCKS = 50;

class CsrCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Documents (URI and version) whose lenses are drawn from part of the blocks, to be drawn again when all are done. */
  private readonly awaitingAll = new Set<string>();
  /** Documents that were given all their lenses once; later versions get all at once too (the old ones stay on screen meanwhile). */
  private readonly drawnWhole = new WeakSet<vscode.TextDocument>();

  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly remembered: RememberedOrders,
    /** False in the browser, where no call is made: no Replace lens there. */
    private readonly callsAvailable = true,
  ) {
    this.subscriptions = [
      this.changed,
      onDidChangeCodeLensSetting(() => this.changed.fire()),
      // The Replace lens appears once the workspace is trusted (Restricted Mode hides what cannot run).
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!isCodeLensEnabled()) return [];
    // The blocks in view first: in a file of hundreds of requests the rest follow a moment later.
    const { analysis, complete } = await this.analyses.soon(document);
    if (!complete) this.redrawWhenAllDone(document);
    if (token.isCancellationRequested) return [];
    if (analysis.kind !== 'analysed') {
      return [codeLens(new vscode.Range(0, 0, 0, 0), { title: skippedText(analysis), command: '' })];
    }
    const core = await this.analyses.core();
    let results = analysis.results;
    // The first round holds what is on screen and no more: the page draws every lens it is given before any.
    const inView = inViewOf(document, 0);
    if (!this.drawnWhole.has(document) && results.length > VIEW_FIRST_BLOCKS && inView !== undefined) {
      results = results.filter((result) => inView(result.range));
      this.drawnWhole.add(document);
      // Ask VS Code to come back for all of them once this first round is on screen.
      if (complete) setTimeout(() => this.changed.fire(), 0);
      else this.redrawWhenAllDone(document);
    } else if (complete) {
      this.drawnWhole.add(document);
    }
    return results.flatMap((result) => this.lensesFor(document, result, core.summariseCsr));
  }

  private redrawWhenAllDone(document: vscode.TextDocument): void {
    const key = `${document.uri.toString()}@${document.version}`;
    if (this.awaitingAll.has(key)) return;
    this.awaitingAll.add(key);
    const version = document.version;
    void this.analyses
      .get(document)
      .then(() => {
        // A newer version asks for its own lenses anyway.
        if (!document.isClosed && document.version === version) this.changed.fire();
      })
      .catch(() => undefined)
      .finally(() => this.awaitingAll.delete(key));
  }

  private lensesFor(
    document: vscode.TextDocument,
    result: CsrAnalysisResult,
    summarise: (report: CsrReport) => string,
  ): vscode.CodeLens[] {
    const start = toRange(result.range, document).start;
    const at = new vscode.Range(start, start);
    const args = [document.uri, result.index];
    if (!isCsrReport(result)) {
      return [
        codeLens(at, {
          title: t('$(warning) Not a usable certificate request: {0}', outside(result.error)),
          command: Commands.inspectCsr,
          arguments: args,
          tooltip: t('Open the report for this block'),
        }),
      ];
    }
    const lenses: vscode.CodeLens[] = [];
    // One lens per predicted error code, first: a long line runs under the minimap, so what
    // matters most (Sectigo will refuse this, and the fix) must be what stays readable.
    // Several findings with the same code (1020 bits: too small and not a multiple of 8) share it.
    const byCode = new Map<number, Refusal[]>();
    for (const refusal of refusals(result))
      byCode.set(refusal.sectigoErrorCode, [...(byCode.get(refusal.sectigoErrorCode) ?? []), refusal]);
    // A refused request's row stays short enough for an editor beside the explorer (measured: the
    // five lenses were cut at 1,400 px): the refusal opens the report itself, so neither the
    // summary nor Inspect is drawn there; the summary is in the refusal's tooltip and the hover.
    const refused = byCode.size > 0;
    const summary = outside(summarise(result));
    for (const [code, group] of byCode) {
      lenses.push(
        codeLens(at, {
          title: refusalLensTitle(group[0] as Refusal),
          command: Commands.inspectCsr,
          arguments: args,
          tooltip: joinText([...group.map((refusal) => outside(refusal.text)), summary], words`\n`),
        }),
      );
      // The fix sits beside the refusal it fixes: every -13 finding is about the key.
      if (code === keyRefusedErrorCode) {
        lenses.push(
          codeLens(at, {
            title: words`${outside(compliantCsrTitle())}`,
            command: Commands.createCompliantCsr,
            arguments: args,
            tooltip: t('A new key and CSR with the same subject and e-mail addresses'),
          }),
        );
      }
    }
    // Calls are off in Restricted Mode: the lens is hidden there, like the certificate's Revoke lens.
    // The action comes before the long summary: with the report open beside the editor, the row is
    // cut at its end, and what is cut must be what the hover and the report also say, never the action.
    if (this.callsAvailable && vscode.workspace.isTrusted) {
      // A request made after a -13 offers the order it was made for.
      const order = this.remembered.orderFor(document.uri);
      lenses.push(
        codeLens(at, {
          title: order === undefined ? t('Replace S/MIME order…') : t('Replace S/MIME order {0}…', outside(order)),
          command: Commands.replaceSmime,
          arguments: order === undefined ? args : [...args, order],
          tooltip: t('Start AutoReplaceSMIME with this request'),
        }),
      );
    }
    if (!refused) {
      lenses.push(
        codeLens(at, {
          title: words`${summary}`,
          command: Commands.inspectCsr,
          arguments: args,
          tooltip: t('Open the full report for this request'),
        }),
      );
      lenses.push(
        codeLens(at, {
          title: t('Inspect'),
          command: Commands.inspectCsr,
          arguments: args,
          tooltip: t('Open the full report beside the editor'),
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export function registerCodeLens(
  context: vscode.ExtensionContext,
  analyses: DocumentAnalyses,
  remembered: RememberedOrders,
  callsAvailable: boolean,
): void {
  const provider = new CsrCodeLensProvider(analyses, remembered, callsAvailable);
  context.subscriptions.push(provider, vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, provider));
}
