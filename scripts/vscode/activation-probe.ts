// Loaded as the "tests file" of an extension-host run by bench/vscode-activation.bench.ts: it
// activates one extension and reports how long activate() took, including loading its bundle,
// which is what a user waits for. One extension host activates an extension only once, so the
// benchmark opens a fresh window per sample. With a CSR file named, it then opens that file
// (the benchmark times the first CodeLens in the page from `openedAt`) and times one keystroke
// in the middle of it until the Problems of the file are refreshed. It only uses the public
// API, so it measures any build of the extension, today's and a baseline's alike.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { MARK_GLOBAL, PROBE_CONFIG_NAME, type ActivationSample, type ProbeConfig } from './activation-probe-config';

/** How long any one step may take before the sample is reported as failed. */
const STEP_DEADLINE_MS = 60_000;
/** The config is a few hundred bytes; anything larger is not ours. */
const MAX_CONFIG_BYTES = 64 * 1024;

/** Starts V8's sampling profiler on this thread, through the inspector protocol. */
async function startProfiler(intervalUs: number): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error === null ? resolve(result) : reject(error))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      return profile;
    },
  };
}

/** The clock V8's CPU profiles count in: monotonic, in microseconds. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

function readConfig(): ProbeConfig {
  const file = join(__dirname, PROBE_CONFIG_NAME);
  if (statSync(file).size > MAX_CONFIG_BYTES) throw new Error(`${file} is larger than ${MAX_CONFIG_BYTES} bytes`);
  return JSON.parse(readFileSync(file, 'utf8')) as ProbeConfig;
}

function withDeadline<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not happen within ${STEP_DEADLINE_MS / 1000} s`)),
      STEP_DEADLINE_MS,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Resolves with performance.now() at the next change of `uri`'s diagnostics. */
function nextDiagnosticsChange(uri: vscode.Uri): { readonly changed: Promise<number>; readonly dispose: () => void } {
  let subscription: vscode.Disposable | undefined;
  const changed = new Promise<number>((resolve) => {
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changedUri) => changedUri.toString() === uri.toString())) resolve(performance.now());
    });
  });
  return { changed: changed.finally(() => subscription?.dispose()), dispose: () => subscription?.dispose() };
}

async function waitForFile(file: string, what: string): Promise<void> {
  const deadline = Date.now() + STEP_DEADLINE_MS;
  for (;;) {
    try {
      statSync(file);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${what} did not come within ${STEP_DEADLINE_MS / 1000} s`);
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }
}

/** Opens the file with vscode.open (the workbench's own command) and returns its editor once this host knows it. */
async function openedByWorkbench(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const isIt = (editor: vscode.TextEditor | undefined): editor is vscode.TextEditor =>
    editor?.document.uri.toString() === uri.toString();
  let subscription: vscode.Disposable | undefined;
  const active = new Promise<vscode.TextEditor>((resolve) => {
    subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (isIt(editor)) resolve(editor);
    });
  });
  try {
    await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
    const now = vscode.window.activeTextEditor;
    return isIt(now) ? now : await withDeadline('the editor of the opened file', active);
  } finally {
    subscription?.dispose();
  }
}

/** Opens the file, waits for its first Problems, then types one character and times the refresh. */
async function editorFigures(
  csr: NonNullable<ProbeConfig['csr']>,
  codeLensFile: string | undefined,
  profile: ProbeConfig['profile'],
): Promise<{ openedAt: number; keystrokeToProblemsMs?: number; editorWindowUs?: readonly [number, number] }> {
  const uri = vscode.Uri.file(csr.file);
  if ((csr.settleMs ?? 0) > 0) await new Promise((settled) => setTimeout(settled, csr.settleMs));
  const profiler = profile?.phase === 'editor' ? await startProfiler(profile.intervalUs) : undefined;
  const firstProblems = nextDiagnosticsChange(uri);
  const openedUs = monotonicUs();
  const openedAt = Date.now();
  const editor =
    csr.openFrom === 'workbench'
      ? await openedByWorkbench(uri)
      : await vscode.window.showTextDocument(uri, { preview: false });
  if (csr.problems === false) {
    firstProblems.dispose();
    if (codeLensFile !== undefined)
      await waitForFile(codeLensFile, 'a CodeLens drawn in the page').catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    return { openedAt };
  }
  await withDeadline('the first Problems of the opened file', firstProblems.changed);
  // Typing before the first lens is drawn would time a lens of the edited text (or none).
  // A window that draws none goes on (the benchmark counts it as such).
  if (codeLensFile !== undefined)
    await waitForFile(codeLensFile, 'a CodeLens drawn in the page').catch(() => undefined);
  // The page's clock says when the lens was drawn (the file is polled, so its arrival is later).
  const drawnAt = codeLensFile === undefined ? NaN : Number(readFileSync(codeLensFile, 'utf8').slice(0, 32));
  const editorWindowUs = [
    openedUs,
    Number.isFinite(drawnAt) ? openedUs + (drawnAt - openedAt) * 1000 : monotonicUs(),
  ] as const;
  if (profiler !== undefined && profile !== undefined)
    writeFileSync(profile.file, JSON.stringify(await profiler.stop()));
  const position = new vscode.Position(csr.keystrokeLine, 10);
  editor.selection = new vscode.Selection(position, position);
  const refreshed = nextDiagnosticsChange(uri);
  const versionBefore = editor.document.version;
  const typed = performance.now();
  // The command a keystroke runs in the editor: the text goes through the workbench's model first.
  await vscode.commands.executeCommand('type', { text: 'A' });
  try {
    const at = await withDeadline('refreshed Problems after a keystroke', refreshed.changed);
    if (editor.document.version === versionBefore) throw new Error('the keystroke did not change the document');
    return { openedAt, keystrokeToProblemsMs: at - typed, ...(profiler ? { editorWindowUs } : {}) };
  } finally {
    refreshed.dispose();
    // Undo the edit so no later window restores a dirty file (and activates the extension early).
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}

export async function run(): Promise<void> {
  const config = readConfig();
  const marks: [string, number][] = [];
  const mark = (name: string): void => void marks.push([name, Date.now()]);
  (globalThis as Record<string, unknown>)[MARK_GLOBAL] = mark;
  if (config.timeline === true) {
    // Registered before the extension activates, so these listeners run before its own.
    vscode.workspace.onDidOpenTextDocument((document) => mark(`host:document opened (${document.languageId})`));
    vscode.window.onDidChangeVisibleTextEditors((editors) => {
      if (editors.some((editor) => editor.document.uri.scheme === 'file')) mark('host:editor shown');
    });
    vscode.languages.onDidChangeDiagnostics((event) => {
      for (const uri of event.uris) mark(`host:problems changed (${vscode.languages.getDiagnostics(uri).length})`);
    });
    vscode.languages.registerCodeLensProvider(
      { pattern: '**/*.csr' },
      {
        provideCodeLenses: (document) => {
          mark(`host:lenses asked (v${document.version})`);
          return [];
        },
      },
    );
  }
  const { reportFile, extensionId } = config;
  const report = (figures: Omit<ActivationSample, 'state' | 'passed' | 'failed' | 'pending' | 'extensionId'>): void => {
    const failed = figures.error === undefined ? 0 : 1;
    const sample: ActivationSample = {
      state: 'done',
      passed: 1 - failed,
      failed,
      pending: 0,
      extensionId,
      marks,
      ...figures,
    };
    writeFileSync(reportFile, JSON.stringify(sample));
  };
  const extension = vscode.extensions.getExtension(extensionId);
  if (extension === undefined) {
    report({ activationMs: 0, alreadyActive: false, error: `extension ${extensionId} is not loaded` });
    return;
  }
  const alreadyActive = extension.isActive;
  let activationMs = 0;
  try {
    const profiler =
      config.profile === undefined || config.profile.phase === 'editor'
        ? undefined
        : await startProfiler(config.profile.intervalUs);
    const startedUs = monotonicUs();
    const started = performance.now();
    await extension.activate();
    activationMs = performance.now() - started;
    const activationWindowUs = [startedUs, monotonicUs()] as const;
    if (profiler !== undefined && config.profile !== undefined) {
      // What activate() left running (promises, timers) lands in the profile too.
      await new Promise((wait) => setTimeout(wait, config.profile?.afterMs));
      writeFileSync(config.profile.file, JSON.stringify(await profiler.stop()));
    }
    const figures =
      config.csr === undefined ? {} : await editorFigures(config.csr, config.codeLensFile, config.profile);
    report({ activationMs, activationWindowUs, alreadyActive, ...figures });
  } catch (error) {
    report({ activationMs, alreadyActive, error: error instanceof Error ? error.message : String(error) });
  }
  if (config.releaseFile !== undefined)
    await waitForFile(config.releaseFile, 'the release of the window').catch(() => undefined);
}
