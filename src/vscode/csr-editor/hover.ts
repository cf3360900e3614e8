// Hovering a request shows it decoded, so nobody has to run openssl to read a CSR.
import * as vscode from 'vscode';
import { markdownCommandLink } from '../../core/markdown-text';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import { markdownString } from '../shared/markdown-string';
import { t } from '../shared/text';
import type { DocumentAnalyses } from './analysis';
import { blockAt, toRange } from './ranges';
import { hoverMarkdown } from './report-markdown';

class CsrHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analyses: DocumentAnalyses) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const analysis = await this.analyses.get(document);
    if (token.isCancellationRequested || analysis.kind !== 'analysed') return undefined;
    const block = blockAt(analysis.results, position);
    if (block === undefined) return undefined;
    const core = await this.analyses.core();
    const link = markdownCommandLink(t('Open the full report'), Commands.inspectCsr, [
      document.uri.toString(),
      block.index,
    ]);
    // Only the report command may run from the hover; nothing from the CSR itself is a link.
    const markdown = markdownString(hoverMarkdown(block, core, link), [Commands.inspectCsr]);
    return new vscode.Hover(markdown, toRange(block.range, document));
  }
}

export function registerHover(context: vscode.ExtensionContext, analyses: DocumentAnalyses): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, new CsrHoverProvider(analyses)),
  );
}
