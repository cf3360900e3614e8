// The sink of labels: tree rows (label, description, tooltip, the screen reader's label), CodeLens
// titles and the status bar. The only module that makes a vscode.TreeItem or a vscode.CodeLens or
// writes a status bar item's text. Each takes Texts and gives VS Code renderLabel's rendering:
// outside values on one line, cut to the label bound, and where VS Code draws "$(name)" as an
// icon (CodeLens titles, the status bar) an outside "$(name)" escaped so it shows as written.
// Tree rows draw their label and description as plain text (no icons, no links).
import * as vscode from 'vscode';
import { renderLabel } from '../../core/label-text';
import { knownSecrets } from './known-secrets';
import { isMarkdown, type Markdown } from '../../core/markdown-text';
import type { Text } from '../../core/outside-text';
import { markdownString } from './markdown-string';

export interface TreeRow {
  label: Text;
  collapsible?: vscode.TreeItemCollapsibleState;
  id?: string;
  description?: Text;
  /** Plain text, or Markdown (rendered by the Markdown sink, no command or HTML). */
  tooltip?: Text | Markdown;
  /** What a screen reader says for the row (plain text). */
  accessibilityLabel?: Text;
  iconPath?: vscode.ThemeIcon;
  contextValue?: string;
  command?: vscode.Command;
}

/** A tree row whose every shown string went through the label sink. */
/** What a label shows of a Text, for a record of it (automation, tests): the same rendering. */
export function labelAsShown(label: Text, icons: boolean): string {
  return renderLabel(label, icons, knownSecrets());
}

export function treeItem(row: TreeRow): vscode.TreeItem {
  const item = new vscode.TreeItem(
    renderLabel(row.label, false, knownSecrets()),
    row.collapsible ?? vscode.TreeItemCollapsibleState.None,
  );
  if (row.id !== undefined) item.id = row.id;
  if (row.description !== undefined) item.description = renderLabel(row.description, false, knownSecrets());
  if (row.tooltip !== undefined)
    item.tooltip = isMarkdown(row.tooltip)
      ? markdownString(row.tooltip)
      : renderLabel(row.tooltip, false, knownSecrets());
  if (row.accessibilityLabel !== undefined)
    item.accessibilityInformation = { label: renderLabel(row.accessibilityLabel, false, knownSecrets()) };
  if (row.iconPath !== undefined) item.iconPath = row.iconPath;
  if (row.contextValue !== undefined) item.contextValue = row.contextValue;
  if (row.command !== undefined) item.command = row.command;
  return item;
}

/** A CodeLens whose title (which VS Code draws with icons) and tooltip went through the label sink. */
export function codeLens(
  range: vscode.Range,
  lens: { title: Text; command: string; arguments?: unknown[]; tooltip?: Text },
): vscode.CodeLens {
  return new vscode.CodeLens(range, {
    title: renderLabel(lens.title, true, knownSecrets()),
    command: lens.command,
    ...(lens.arguments !== undefined && { arguments: lens.arguments }),
    ...(lens.tooltip !== undefined && { tooltip: renderLabel(lens.tooltip, false, knownSecrets()) }),
  });
}

/** A status bar item; what it shows is written by setStatusBarItem only. */
export function createStatusBarItem(
  id: string,
  alignment: vscode.StatusBarAlignment,
  priority: number,
): vscode.StatusBarItem {
  return vscode.window.createStatusBarItem(id, alignment, priority);
}

/** Writes a status bar item's text (drawn with icons), tooltip and screen reader label. */
export function setStatusBarItem(
  item: vscode.StatusBarItem,
  shown: { text: Text; tooltip: Text; accessibilityLabel: Text },
): void {
  item.text = renderLabel(shown.text, true, knownSecrets());
  item.tooltip = renderLabel(shown.tooltip, false, knownSecrets());
  item.accessibilityInformation = { label: renderLabel(shown.accessibilityLabel, false, knownSecrets()) };
}

/** A passing message in the status bar (drawn with icons). */
export function showStatusBarMessage(message: Text, hideAfterMs: number): vscode.Disposable {
  return vscode.window.setStatusBarMessage(renderLabel(message, true, knownSecrets()), hideAfterMs);
}
