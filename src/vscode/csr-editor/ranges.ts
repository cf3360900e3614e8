// The analysis reports zero-based, end-exclusive ranges with lines split on \n, which is how a
// VS Code document counts too; clamping keeps a range valid if the text moved on meanwhile.
import * as vscode from 'vscode';
import type { Text } from '../../core/outside-text';
import { t } from '../shared/text';
import type { SourceRange } from '../../core/csr/types';

export function toRange(range: SourceRange, document?: vscode.TextDocument): vscode.Range {
  const converted = new vscode.Range(
    Math.max(0, range.startLine),
    Math.max(0, range.startCharacter),
    Math.max(0, range.endLine),
    Math.max(0, range.endCharacter),
  );
  return document === undefined ? converted : document.validateRange(converted);
}

/** "lines 3–20" for people, who count from 1. */
export function describeLines(range: SourceRange): Text {
  const first = range.startLine + 1;
  // An end at character 0 of a line means the block ended with the line before.
  const last = range.endCharacter === 0 && range.endLine > range.startLine ? range.endLine : range.endLine + 1;
  return first === last ? t('line {0}', first) : t('lines {0}–{1}', first, last);
}

/** Converts the position of the caller's interest to the index of the block that holds it. */
export function blockAt<T extends { range: SourceRange }>(
  blocks: readonly T[],
  position: vscode.Position,
): T | undefined {
  return blocks.find((block) => toRange(block.range).contains(position));
}
