// The assistants' three tools by name: the same names in VS Code (package.json
// contributes.languageModelTools, vscode.lm.registerTool) and in the MCP server. No imports, so the
// extension's activation can register the tools without loading anything else.

export const AssistantToolNames = {
  /** One request: a file, a range of lines of it, or pasted text. */
  inspect: 'sectigo_inspect_csr',
  /** The requests of the workspace (or of the MCP client's roots), or of a glob. */
  check: 'sectigo_check_csrs',
  /** One finding code (or a Sectigo error code) explained. */
  explain: 'sectigo_explain_finding',
} as const;

export type AssistantToolKind = keyof typeof AssistantToolNames;
export type AssistantToolName = (typeof AssistantToolNames)[AssistantToolKind];
