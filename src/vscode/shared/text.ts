// The extension's own words in the user's language, as a Text: `t('…{0}…', hole)` is
// vscode.l10n.t's translation of a literal template, its holes (outside values, other Texts,
// numbers) kept apart for the sink of the surface that shows it. The only place a translated
// template (a string from the language bundle, not a literal) becomes own words.
import * as vscode from 'vscode';
import {
  formatTemplate,
  outside,
  words,
  type Hole,
  type Literal,
  type Outside,
  type Text,
} from '../../core/outside-text';

/** A literal template translated (vscode.l10n.t), with its {n} holes filled by the sink, never as plain text. */
export function t<T extends string>(template: T & Literal<T>, ...holes: Hole[]): Text {
  // Each placeholder given as itself: the translation comes back with {0}, {1}… where they belong.
  const translated = vscode.l10n.t(template, ...holes.map((_, index) => `{${index}}`));
  return formatTemplate(translated, holes);
}

/** A file's place as a person reads it (a path, or the URI of a virtual file): outside text. */
export function outsideUri(uri: vscode.Uri): Outside {
  return outside(uri.scheme === 'file' ? uri.fsPath : uri.toString(true));
}

/** A validator's problem (core's words, which may quote what was typed) as outside text, for an input box. */
export function problemText(problem: string | undefined): Text | undefined {
  return problem === undefined ? undefined : words`${outside(problem)}`;
}
