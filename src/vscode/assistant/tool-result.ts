// The sink of what VS Code hands a language model from the assistants' tools: the only module that
// makes a LanguageModelToolResult or a LanguageModelTextPart. It takes the text and the data a tool
// rendered (core/assistant/render.ts), never a string, and gives VS Code the model sink's rendering
// (core/model-text.ts): outside values quoted, on one line, cut and redacted with every secret the
// extension knows; the data as the JSON sink writes it.
import * as vscode from 'vscode';
import { modelDataJson, renderModelText, type ModelData } from '../../core/model-text';
import type { Text } from '../../core/outside-text';
import { knownSecrets } from '../shared/known-secrets';

/** A tool's result: its text, then its data as JSON text (a model reads both). */
export function languageModelToolResult(text: Text, data: ModelData): vscode.LanguageModelToolResult {
  const secrets = knownSecrets();
  return new vscode.LanguageModelToolResult([
    new vscode.LanguageModelTextPart(renderModelText(text, secrets)),
    new vscode.LanguageModelTextPart(modelDataJson(data, secrets)),
  ]);
}

/** A tool that could not do what it was asked: VS Code hands the error's message to the model as the answer. */
export function toolFailure(text: Text): Error {
  return new Error(renderModelText(text, knownSecrets()));
}
