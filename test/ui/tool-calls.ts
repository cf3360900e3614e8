// The Sectigo extension's language model tools called from the page's test extension
// (memfs-extension/extension.ts, "Memfs Test: Invoke Sectigo Tools"), as agent mode calls them:
// vscode.lm.invokeTool by name, no chat session. The same calls and the same expectations in
// every window that installs the test extension (the browser's web worker host, Restricted Mode).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
import { findingHelpUri } from '../../src/core/csr/finding-help';
import type { ToolResultsFile } from './memfs-extension/extension';
import { UI_TIMEOUT, notification, runCommand, type Workbench } from './workbench';

/** Runs the test extension's command, checks what each tool answered, and returns the record. */
export async function invokeToolsFromTestExtension(workbench: Workbench): Promise<ToolResultsFile> {
  const { page, workspace } = workbench;
  await runCommand(page, 'Memfs Test: Invoke Sectigo Tools');
  await notification(page, /Sectigo tools invoked: 6 calls/).waitFor({ timeout: UI_TIMEOUT });
  // Written by the test extension into the workspace folder (its TOOL_RESULTS_FILE).
  const results = JSON.parse(readFileSync(join(workspace, 'tool-results.json'), 'utf8')) as ToolResultsFile;
  const [inspect, check, explain, memfs, climb, text] = results.calls;
  assert.match(inspect?.parts?.[0] ?? inspect?.error ?? '', /Sectigo will refuse it \(-13\)/);
  const inspected = JSON.parse(inspect?.parts?.[1] ?? '{}') as {
    requests: { findings: { code: string; helpUri: string }[] }[];
  };
  assert.equal(inspected.requests[0]?.findings[0]?.code, 'rsa-key-too-small');
  assert.equal(inspected.requests[0]?.findings[0]?.helpUri, findingHelpUri('rsa-key-too-small'));
  const checked = JSON.parse(check?.parts?.[1] ?? '{}') as { counts: { refused: number }; cleanFiles: string[] };
  assert.equal(checked.counts.refused, 1, check?.parts?.[0] ?? check?.error);
  assert.ok(checked.cleanFiles.includes(SAMPLE_FILES.good), JSON.stringify(checked.cleanFiles));
  assert.match(explain?.parts?.[0] ?? explain?.error ?? '', /Create a compliant key and CSR…/);
  assert.match(memfs?.error ?? '', /outside the workspace folders/);
  assert.match(climb?.error ?? '', /outside the workspace folders/);
  assert.match(text?.parts?.[0] ?? text?.error ?? '', /not a certificate request/);
  return results;
}
