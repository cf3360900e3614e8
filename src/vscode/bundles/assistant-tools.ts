// Bundle entry (dist/assistant-tools.js, loaded through ./load.ts on the first tool call): the
// assistants' tools as the Node extension host runs them, with files read by ../assistant/node-reader.ts.
import type { DocumentAnalyses } from '../csr-editor/analysis';
import { editorTools } from '../assistant/editor-tools';
import { nodeReader } from '../assistant/node-reader';
import type { AssistantToolsImpl } from '../assistant/register-tools';

export function nodeAssistantTools(analyses: DocumentAnalyses): AssistantToolsImpl {
  return editorTools(analyses, nodeReader);
}
