// Chunk entry (dist/browser-assistant-tools.js, loaded through ./load-chunk.ts on the first tool
// call): the assistants' tools as the browser's web worker host runs them, files read through
// VS Code's file system. A chunk of its own, so activating the extension in the browser parses
// none of it. It uses 'vscode' (the loader hands it the host's) and the analysis already loaded,
// which the caller passes in.
import type { DocumentAnalyses } from '../csr-editor/analysis';
import { editorTools } from '../assistant/editor-tools';
import type { AssistantToolsImpl } from '../assistant/register-tools';
import { workspaceReader } from '../assistant/workspace-reader';

export function browserAssistantTools(analyses: DocumentAnalyses): AssistantToolsImpl {
  return editorTools(analyses, workspaceReader);
}
