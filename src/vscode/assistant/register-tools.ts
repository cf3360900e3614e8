// The assistants' tools in VS Code (agent mode, and any extension through vscode.lm.invokeTool):
// registered at activation, by name only. Their work (core/assistant and the adapter over the
// workspace, ./editor-tools.ts) loads on the first call, as the analysis does, so activation pays
// for three registrations and nothing else. The tools read; none replaces or revokes.
import * as vscode from 'vscode';
import { AssistantToolNames, type AssistantToolKind } from '../../core/assistant/tool-names';

/** What a tool call runs, once loaded: the outcome as a tool result, or an error a model can read. */
export interface AssistantToolsImpl {
  invoke(
    kind: AssistantToolKind,
    input: unknown,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult>;
}

function invocationMessage(kind: AssistantToolKind): string {
  switch (kind) {
    case 'inspect':
      return vscode.l10n.t('Inspecting a certificate request (locally; nothing is sent)');
    case 'check':
      return vscode.l10n.t('Checking the certificate requests (locally; nothing is sent)');
    case 'explain':
      return vscode.l10n.t('Explaining a finding code');
  }
}

export function registerAssistantTools(
  context: vscode.ExtensionContext,
  load: () => Promise<AssistantToolsImpl>,
): void {
  // A host without the language model API (an older or stripped-down one) still runs the rest of the extension.
  if (typeof vscode.lm?.registerTool !== 'function') return;
  for (const kind of Object.keys(AssistantToolNames) as AssistantToolKind[]) {
    context.subscriptions.push(
      vscode.lm.registerTool<unknown>(AssistantToolNames[kind], {
        // Read-only and local: nothing to confirm.
        prepareInvocation: () => ({ invocationMessage: invocationMessage(kind) }),
        invoke: async (options, token) => (await load()).invoke(kind, options.input, token),
      }),
    );
  }
}
