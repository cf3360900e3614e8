// The sink of Markdown: hovers, tooltips and the inspect report's document. The only module that
// makes a vscode.MarkdownString or hands Markdown source to VS Code. It takes Markdown built by
// core's `markup` (the program's markup as literals, every outside value a code span:
// core/markdown-text.ts), never a string. No HTML, no theme icons (VS Code would draw "$(name)"
// inside a code span as an icon), and commands only those the caller names. Outside values are
// rendered here, redacted with every secret the extension knows (known-secrets.ts).
import * as vscode from 'vscode';
import { markdownSource, type Markdown } from '../../core/markdown-text';
import { knownSecrets } from './known-secrets';

/** A MarkdownString of `markdown`: untrusted unless `commands` names the commands its own links may run. */
export function markdownString(markdown: Markdown, commands: readonly string[] = []): vscode.MarkdownString {
  const shown = new vscode.MarkdownString(markdownSource(markdown, knownSecrets()), false);
  shown.supportHtml = false;
  shown.isTrusted = commands.length > 0 ? { enabledCommands: [...commands] } : false;
  return shown;
}

/** The source of a Markdown document VS Code previews (the inspect report). */
export function markdownDocument(markdown: Markdown): string {
  return markdownSource(markdown, knownSecrets());
}
