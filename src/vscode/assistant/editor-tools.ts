// The assistants' three tools over the workspace: the core's arguments, outcomes and rendering
// (src/core/assistant), the editor's own analysis (one per document version, sliced so the
// extension host keeps serving), and files read through the host's reader: only files of the
// workspace folders, bounded, symbolic links resolved where the file system has them. The same
// module in Node and in the browser's web worker; the reader is what differs.
import * as vscode from 'vscode';
import {
  checkCheckArguments,
  checkExplainArguments,
  checkInspectArguments,
  type LineSpan,
} from '../../core/assistant/arguments';
import {
  runCheck,
  type Analyser,
  type CheckFiles,
  type FileRead,
  type RunBudget,
} from '../../core/assistant/check-run';
import { explainOutcome, failure, inspectOutcome, isFailure, type ToolOutcome } from '../../core/assistant/outcomes';
import { renderData, renderText } from '../../core/assistant/render';
import type { AssistantToolKind } from '../../core/assistant/tool-names';
import type { CsrAnalysisResult, SourceRange } from '../../core/csr/types';
import { maxInputLength } from '../../core/csr/input';
import { outside, outsideError, proseText, words, type Outside, type Text } from '../../core/outside-text';
import { displayName, type DocumentAnalyses, type DocumentAnalysis } from '../csr-editor/analysis';
import type { AssistantToolsImpl } from './register-tools';
import { languageModelToolResult, toolFailure } from './tool-result';
import { formatCount } from '../../core/format-count';

/** How the host reads a file of the workspace for a tool. */
export interface WorkspaceReader {
  /** The file's bytes, at most `maxBytes`; a file outside `folders` (links resolved where there are any) is refused. */
  read(uri: vscode.Uri, maxBytes: number, folders: readonly vscode.Uri[]): Promise<FileRead>;
}

/** Up to this size a file is analysed in one go; a larger text one goes through the editor's sliced analysis. */
const WHOLE_ANALYSIS_BYTES = 64 * 1024;
const ZERO_RANGE: SourceRange = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };

function folders(): readonly vscode.Uri[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri);
}

/** A path's '.' and '..' taken out, as a file system would read it. */
function normalisedPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Whether `uri` lies in `folder` (same file system, path beneath), by its normalised path. */
function isInFolder(uri: vscode.Uri, folder: vscode.Uri): boolean {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return false;
  const base = normalisedPath(folder.path);
  const path = normalisedPath(uri.path);
  const caseless = folder.scheme === 'file' && /^\/[a-zA-Z]:/.test(base);
  const [a, b] = caseless ? [path.toLowerCase(), base.toLowerCase()] : [path, base];
  return a === b || a.startsWith(base === '/' ? '/' : `${b}/`);
}

type Resolved = { readonly uri: vscode.Uri } | { readonly refused: Text; readonly missing?: boolean };

/** The file a model named: a URI, an absolute path or one relative to a workspace folder; only inside the folders. */
async function resolvePath(path: string): Promise<Resolved> {
  const roots = folders();
  if (roots.length === 0)
    return { refused: words`no workspace folder is open, so no file can be read (pasted text still can)` };
  let candidates: vscode.Uri[];
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(path) && !/^[a-zA-Z]:[\\/]/.test(path))
    candidates = [vscode.Uri.parse(path, true)];
  else if (/^([\\/]|[a-zA-Z]:[\\/])/.test(path))
    // An absolute path: on disk, or on the workspace's own file system (a virtual workspace's /path).
    candidates = roots.map((root) =>
      root.scheme === 'file' ? vscode.Uri.file(path) : root.with({ path: path.replace(/\\/g, '/') }),
    );
  else candidates = roots.map((root) => vscode.Uri.joinPath(root, path.replace(/\\/g, '/')));
  candidates = candidates.map((uri) => uri.with({ path: normalisedPath(uri.path) }));
  const inside = candidates.filter((uri) => roots.some((root) => isInFolder(uri, root)));
  if (inside.length === 0)
    return { refused: words`it is outside the workspace folders, which are the only places these tools read` };
  for (const uri of inside) {
    try {
      await vscode.workspace.fs.stat(uri);
      return { uri };
    } catch {
      // Not in this folder: the next one may have it.
    }
  }
  return { refused: words`no such file in the workspace folders`, missing: true };
}

function problem(file: Outside, code: string, error: string): CsrAnalysisResult {
  return { file, index: 0, range: ZERO_RANGE, code, error };
}

/** The results of an editor analysis, a limit or binary content said as the input problem it is. */
function resultsOf(analysis: DocumentAnalysis, file: Outside): CsrAnalysisResult[] {
  if (analysis.kind === 'analysed') return [...analysis.results];
  if (analysis.kind === 'binary')
    return [problem(file, 'binary-input', 'this is a binary file that is neither DER nor text')];
  return [
    problem(
      file,
      'input-too-large',
      `the input is ${formatCount(analysis.characters)} characters; only inputs up to ${formatCount(maxInputLength)} are read`,
    ),
  ];
}

/** A result moved down by `lines`: the analysis of a selection, placed where the selection is. */
function shifted(result: CsrAnalysisResult, lines: number): CsrAnalysisResult {
  const move = (range: SourceRange): SourceRange => ({
    ...range,
    startLine: range.startLine + lines,
    endLine: range.endLine + lines,
  });
  if ('error' in result) return { ...result, range: move(result.range) };
  return {
    ...result,
    range: move(result.range),
    findings: result.findings.map((finding) => ({ ...finding, range: move(finding.range) })),
  };
}

class EditorTools implements AssistantToolsImpl {
  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly reader: WorkspaceReader,
  ) {}

  async invoke(
    kind: AssistantToolKind,
    input: unknown,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    let outcome: ToolOutcome;
    try {
      outcome = await this.run(kind, input, token);
    } catch (error) {
      outcome = failure(kind, 'internal-error', words`an unexpected error: ${outsideError(error)}`);
    }
    // VS Code hands a tool's error to the model as the tool's answer: the sentence says what to send instead.
    if (isFailure(outcome)) throw toolFailure(renderText(outcome));
    return languageModelToolResult(renderText(outcome), renderData(outcome));
  }

  private async run(kind: AssistantToolKind, input: unknown, token: vscode.CancellationToken): Promise<ToolOutcome> {
    switch (kind) {
      case 'explain': {
        const args = checkExplainArguments(input);
        return args.ok ? explainOutcome(args.value.code) : failure(kind, 'bad-arguments', args.problem);
      }
      case 'inspect':
        return this.inspect(input);
      case 'check': {
        const args = checkCheckArguments(input);
        if (!args.ok) return failure(kind, 'bad-arguments', args.problem);
        const roots = folders();
        if (roots.length === 0)
          return failure(kind, 'refused', words`no workspace folder is open, so there are no files to check`);
        return this.check(args.value, roots, token);
      }
    }
  }

  private async analyser(): Promise<Analyser> {
    const core = await this.analyses.core();
    return {
      analyse: async (input, file) => {
        const name = outside(file);
        if (typeof input === 'string')
          return resultsOf(await this.analyses.analyseText(input, file, maxInputLength), name);
        // DER, or text small enough to analyse in one go; a large text is sliced by the editor's analysis.
        if (input.byteLength <= WHOLE_ANALYSIS_BYTES || input[0] === 0x30) return core.analyseCsrText(input, file);
        const text = new TextDecoder('utf-8').decode(input);
        return resultsOf(await this.analyses.analyseText(text, file, maxInputLength), name);
      },
      summarise: (report) => core.summariseCsr(report),
      yieldToHost: () => new Promise((resolve) => setTimeout(resolve, 0)),
    };
  }

  /** The editor's text of `uri` when it is open (unsaved edits included), else undefined. */
  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
  }

  private async inspect(input: unknown): Promise<ToolOutcome> {
    const args = checkInspectArguments(input);
    if (!args.ok) return failure('inspect', 'bad-arguments', args.problem);
    const analyser = await this.analyser();
    const pasted = outside('<text>');
    const core = await this.analyses.core();
    const summarise = core.summariseCsr.bind(core);
    const request = args.value;
    if (request.kind === 'text')
      return inspectOutcome(
        { kind: 'text', name: pasted, lines: null },
        await analyser.analyse(request.text, pasted),
        summarise,
      );
    if (request.kind === 'active-editor') {
      const editor = vscode.window.activeTextEditor;
      if (editor === undefined)
        return failure(
          'inspect',
          'nothing-to-inspect',
          words`no editor is active: give path (a request file of the workspace) or text (the request itself)`,
        );
      const name = displayName(editor.document.uri);
      const selection = editor.selection;
      if (!selection.isEmpty) {
        const lines: LineSpan = { start: selection.start.line + 1, end: selection.end.line + 1 };
        const results = await analyser.analyse(editor.document.getText(selection), name);
        return inspectOutcome(
          { kind: 'selection', name, lines },
          results.map((result) => shifted(result, selection.start.line)),
          summarise,
        );
      }
      return inspectOutcome(
        { kind: 'editor', name, lines: null },
        await this.documentResults(editor.document),
        summarise,
      );
    }
    const resolved = await resolvePath(request.path);
    if ('refused' in resolved)
      return failure(
        'inspect',
        resolved.missing ? 'not-found' : 'refused',
        words`${outside(request.path)} cannot be read: ${resolved.refused}`,
      );
    const name = displayName(resolved.uri);
    const source = { kind: 'file' as const, name, lines: request.lines };
    const document = this.openDocument(resolved.uri);
    if (document !== undefined) return inspectOutcome(source, await this.documentResults(document), summarise);
    const read = await this.reader.read(resolved.uri, maxInputLength, folders());
    if (read.kind === 'refused') {
      if (read.outside)
        return failure('inspect', 'refused', words`${outside(request.path)} cannot be read: ${proseText(read.reason)}`);
      return inspectOutcome(source, [problem(name, read.code, read.reason)], summarise);
    }
    return inspectOutcome(source, await analyser.analyse(read.input, name), summarise);
  }

  /** An open document's analysis: the editor's cached one, or past the editor's limit, one up to the tools' limit. */
  private async documentResults(document: vscode.TextDocument): Promise<CsrAnalysisResult[]> {
    const name = displayName(document.uri);
    const analysis = await this.analyses.get(document);
    if (analysis.kind === 'too-large' && analysis.characters <= maxInputLength)
      return resultsOf(await this.analyses.analyseText(document.getText(), name, maxInputLength), name);
    return resultsOf(analysis, name);
  }

  private async check(
    args: Parameters<typeof runCheck>[0],
    roots: readonly vscode.Uri[],
    token: vscode.CancellationToken,
  ): Promise<ToolOutcome> {
    const started = Date.now();
    const budget: RunBudget = {
      deadline: started + args.timeoutSeconds * 1000,
      now: () => Date.now(),
      cancelled: () => token.isCancellationRequested,
    };
    const multiRoot = roots.length > 1;
    const files: CheckFiles<vscode.Uri> = {
      places: (vscode.workspace.workspaceFolders ?? []).map((folder) => outside(folder.name)),
      find: async (glob, limit) => {
        // findFiles ends at the deadline or the caller's cancellation, whichever comes first.
        const search = new vscode.CancellationTokenSource();
        const timer = setTimeout(() => search.cancel(), Math.max(0, budget.deadline - Date.now()));
        const forward = token.onCancellationRequested(() => search.cancel());
        try {
          const found = await vscode.workspace.findFiles(glob, undefined, limit, search.token);
          const cut = search.token.isCancellationRequested
            ? token.isCancellationRequested
              ? words`the caller cancelled`
              : words`the time limit was reached while searching`
            : null;
          return { files: found.sort((a, b) => (a.toString() < b.toString() ? -1 : 1)), cut };
        } finally {
          clearTimeout(timer);
          forward.dispose();
          search.dispose();
        }
      },
      name: (uri) => outside(vscode.workspace.asRelativePath(uri, multiRoot)),
      read: async (uri, maxBytes) => {
        const document = this.openDocument(uri);
        if (document !== undefined) {
          const text = document.getText();
          return text.length > maxBytes
            ? {
                kind: 'refused',
                code: 'input-too-large',
                reason: `the document is ${formatCount(text.length)} characters, over the limit of ${formatCount(maxBytes)}`,
              }
            : { kind: 'ok', input: text };
        }
        return this.reader.read(uri, maxBytes, roots);
      },
    };
    return runCheck(args, files, await this.analyser(), budget);
  }
}

export function editorTools(analyses: DocumentAnalyses, reader: WorkspaceReader): AssistantToolsImpl {
  return new EditorTools(analyses, reader);
}
