// The assistants' tools in a real VS Code, called as agent mode and other extensions call them:
// vscode.lm.invokeTool, by name, with no chat model installed and no chat session (no
// toolInvocationToken). Each result is checked against the analysis's own answer for the file,
// and the tools are attacked: paths and links out of the workspace, wrong arguments, a private key,
// a cancelled and a timed-out check.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, workspaceUri } from './extension-host';
import { AssistantToolNames } from '../../src/core/assistant/tool-names';
import { analyseCsrText, isCsrReport } from '../../src/core/csr/index';
import { toJson } from '../../src/core/csr/report-json';
import { editorTools } from '../../src/vscode/assistant/editor-tools';
import { nodeReader } from '../../src/vscode/assistant/node-reader';
import { DocumentAnalyses } from '../../src/vscode/csr-editor/analysis';
import * as nodeAnalysis from '../../src/core/csr/index';

interface InspectData {
  total: number;
  inRange: number;
  source: { kind: string; name: string; lines: { start: number; end: number } | null };
  requests: ({
    lines: { start: number; end: number };
    status: string;
    findings: { code: string; helpUri: string }[];
  } & Record<string, unknown>)[];
}

interface CheckData {
  found: number;
  checked: number;
  moreThanLimit: boolean;
  stopped: { reason: string; limit: string } | null;
  counts: Record<string, number>;
  files: { file: string; requests: { status: string; code?: string; error?: string }[] }[];
  cleanFiles: string[];
}

async function invoke(
  name: string,
  input: object,
  token?: vscode.CancellationToken,
): Promise<{ text: string; data: unknown }> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
  const parts = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''));
  assert.equal(parts.length, 2, 'the text and the data');
  return { text: parts[0] ?? '', data: JSON.parse(parts[1] ?? '') as unknown };
}

async function refused(name: string, input: object): Promise<string> {
  try {
    await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return assert.fail(`${name} ${JSON.stringify(input)} was not refused`);
}

describe('assistant tools through vscode.lm.invokeTool', function () {
  let outside: string;
  before(async function () {
    await activateExtension();
    outside = mkdtempSync(join(tmpdir(), 'sectigo-tools-outside-'));
    writeFileSync(join(outside, 'secret.csr'), readFileSync(workspaceUri('csr', 'rsa-2048.csr').fsPath));
    mkdirSync(workspaceUri('tool-links').fsPath, { recursive: true });
    symlinkSync(join(outside, 'secret.csr'), workspaceUri('tool-links', 'to-outside.csr').fsPath);
  });
  after(function () {
    rmSync(outside, { recursive: true, force: true });
    rmSync(workspaceUri('tool-links').fsPath, { recursive: true, force: true });
    rmSync(workspaceUri('tool-batch').fsPath, { recursive: true, force: true });
  });

  it('lists the three tools with their schemas and tags', function () {
    const ours = vscode.lm.tools.filter((tool) => tool.tags.includes('sectigo'));
    assert.deepEqual(ours.map((tool) => tool.name).sort(), Object.values(AssistantToolNames).sort());
    for (const tool of ours) {
      assert.match(tool.description, /never replaces or revokes|never replace or revoke/);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object');
    }
  });

  it('inspect a file: the facts of inspect --json, the refusal, the fix and the link', async function () {
    const { text, data } = await invoke(AssistantToolNames.inspect, { path: 'csr/rsa-1024.csr' });
    assert.match(text, /Sectigo will refuse it \(-13\)/);
    assert.match(text, /Create a compliant key and CSR…/);
    const inspected = data as InspectData;
    const expected = analyseCsrText(readFileSync(workspaceUri('csr', 'rsa-1024.csr').fsPath), 'csr/rsa-1024.csr');
    const request = inspected.requests[0];
    assert.ok(request && expected[0] && isCsrReport(expected[0]));
    for (const [field, value] of Object.entries(toJson(expected[0]))) {
      if (field === 'findings') continue;
      assert.deepEqual(request[field], value, field);
    }
    assert.deepEqual(
      request.findings.map((finding) => finding.code),
      expected[0].findings.map((finding) => finding.code),
    );
    assert.match(request.findings[0]?.helpUri ?? '', /#finding-rsa-key-too-small$/);
    assert.equal(request.status, 'refused');
  });

  it('inspect the editor: its unsaved text, and its selection at the lines it has', async function () {
    const document = await vscode.workspace.openTextDocument(workspaceUri('csr', 'multi-block.txt'));
    const editor = await vscode.window.showTextDocument(document);
    const whole = (await invoke(AssistantToolNames.inspect, {})).data as InspectData;
    assert.equal(whole.source.kind, 'editor');
    assert.ok(whole.total >= 2, `several requests in the file: ${whole.total}`);
    const second = whole.requests[1]?.lines;
    assert.ok(second);
    editor.selection = new vscode.Selection(second.start - 1, 0, second.end - 1, 0);
    const selected = (await invoke(AssistantToolNames.inspect, {})).data as InspectData;
    assert.equal(selected.source.kind, 'selection');
    assert.deepEqual(selected.requests[0]?.lines.start, second.start, 'lines of the document, not of the selection');
    // An unsaved edit is what the tool sees for that path.
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'a note\n'));
    const edited = (await invoke(AssistantToolNames.inspect, { path: 'csr/multi-block.txt' })).data as InspectData;
    assert.equal(edited.requests[0]?.lines.start, (whole.requests[0]?.lines.start ?? 0) + 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('inspect pasted text, and a private key, which it names and never returns', async function () {
    const pem = readFileSync(workspaceUri('csr', 'ec-P-256.csr').fsPath, 'utf8');
    assert.match((await invoke(AssistantToolNames.inspect, { text: pem })).text, /EC P-256/);
    const key = readFileSync(workspaceUri('csr', 'private-key.pem').fsPath, 'utf8');
    const body = key
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('-----'))
      .join('');
    for (const input of [{ text: key }, { path: 'csr/private-key.pem' }]) {
      const { text, data } = await invoke(AssistantToolNames.inspect, input);
      assert.match(text, /not-a-csr-private-key/);
      const all = text + JSON.stringify(data);
      for (let i = 0; i + 24 <= body.length; i += 24) assert.ok(!all.includes(body.slice(i, i + 24)), 'the key leaked');
    }
  });

  it('refuses paths out of the workspace, through a link too, and says why', async function () {
    for (const path of [join(outside, 'secret.csr'), '../secret.csr', '/etc/passwd', 'tool-links/to-outside.csr']) {
      assert.match(await refused(AssistantToolNames.inspect, { path }), /outside the workspace folders/, path);
    }
    assert.match(await refused(AssistantToolNames.inspect, { path: 'csr/missing.csr' }), /no such file/);
  });

  it('wrong arguments are refused with what to send instead', async function () {
    assert.match(await refused(AssistantToolNames.inspect, { file: 'x' }), /unknown argument "file"/);
    assert.match(await refused(AssistantToolNames.check, { maxFiles: 0 }), /maxFiles must be from 1 to 500/);
    assert.match(await refused(AssistantToolNames.explain, {}), /code is missing/);
  });

  it('check the workspace: refusals, problems, a link out refused, clean files named', async function () {
    const { text, data } = await invoke(AssistantToolNames.check, { glob: '{csr,tool-links}/**/*.{csr,pem}' });
    assert.match(text, /Sectigo will refuse/);
    const checked = data as CheckData;
    const byFile = new Map(checked.files.map((file) => [file.file, file.requests]));
    assert.equal(byFile.get('csr/rsa-1024.csr')?.[0]?.status, 'refused');
    assert.equal(byFile.get('csr/private-key.pem')?.[0]?.code, 'not-a-csr-private-key');
    assert.match(byFile.get('tool-links/to-outside.csr')?.[0]?.error ?? '', /outside the workspace folders/);
    assert.ok(checked.cleanFiles.includes('csr/rsa-2048.csr'), JSON.stringify(checked.cleanFiles));
    const bounded = (await invoke(AssistantToolNames.check, { glob: 'csr/**/*.csr', maxFiles: 3 })).data as CheckData;
    assert.equal(bounded.checked, 3);
    assert.equal(bounded.moreThanLimit, true);
  });

  it('a check stops at its time limit and at cancellation, saying what it left out', async function () {
    this.timeout(120_000);
    // Files of many requests, so that checking them all takes seconds.
    const good = readFileSync(workspaceUri('csr', 'rsa-2048.csr').fsPath);
    const batch = Buffer.concat(Array.from({ length: 40 }, () => good));
    mkdirSync(workspaceUri('tool-batch').fsPath, { recursive: true });
    for (let i = 0; i < 400; i += 1) writeFileSync(workspaceUri('tool-batch', `batch-${i}.csr`).fsPath, batch);
    const timed = (
      await invoke(AssistantToolNames.check, { glob: 'tool-batch/*.csr', maxFiles: 400, timeoutSeconds: 1 })
    ).data as CheckData;
    assert.equal(timed.stopped?.reason, 'time');
    assert.ok(timed.checked < timed.found, `${timed.checked} of ${timed.found}`);
    // Cancelled through invokeTool, the caller gets VS Code's cancellation at once.
    const source = new vscode.CancellationTokenSource();
    const pending = invoke(AssistantToolNames.check, { glob: 'tool-batch/*.csr', maxFiles: 400 }, source.token);
    setTimeout(() => source.cancel(), 300);
    await assert.rejects(pending, /Canceled/);
    // What the tool made of the cancellation (which invokeTool no longer hands back): the same
    // tools over the same workspace, called directly with a token cancelled midway, stop between files.
    // The analysis as the Node host loads it (its bundle lies beside the extension, not these tests).
    const analyses = new DocumentAnalyses({
      loadCore: async () => nodeAnalysis,
      yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    });
    try {
      const direct = new vscode.CancellationTokenSource();
      const run = editorTools(analyses, nodeReader).invoke(
        'check',
        { glob: 'tool-batch/*.csr', maxFiles: 400 },
        direct.token,
      );
      setTimeout(() => direct.cancel(), 300);
      const parts = (await run).content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''));
      const cancelled = JSON.parse(parts[1] ?? '') as CheckData;
      assert.equal(cancelled.stopped?.reason, 'cancelled', parts[0]);
      assert.ok(cancelled.checked < cancelled.found, `${cancelled.checked} of ${cancelled.found}`);
      assert.match(parts[0] ?? '', /Stopped \(the caller cancelled\)/);
    } finally {
      analyses.dispose();
    }
  });

  it('explain a code: what Sectigo answers, why, the fix by name, the link', async function () {
    const { text, data } = await invoke(AssistantToolNames.explain, { code: 'ec-curve-unsupported' });
    assert.match(text, /Sectigo will answer -13/);
    assert.match(text, /Create a compliant key and CSR…/);
    assert.equal((data as { helpUri: string }).helpUri.endsWith('#finding-ec-curve-unsupported'), true);
    assert.match(await refused(AssistantToolNames.explain, { code: 'no-such-code' }), /is not a code of this product/);
  });
});
