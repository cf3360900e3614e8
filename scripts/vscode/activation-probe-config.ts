// What bench/vscode-activation.bench.ts and the probe it loads into the extension host tell each
// other. Apart from the probe, so the benchmark (plain Node) does not import 'vscode'.

/** Written by the benchmark next to the compiled probe before each window. */
export interface ProbeConfig {
  readonly reportFile: string;
  readonly extensionId: string;
  /** A CSR file to open after activation, and the line of a Base64 body where the keystroke goes. */
  readonly csr?: {
    readonly file: string;
    readonly keystrokeLine: number;
    /** False for an extension that publishes no Problems: only the first CodeLens is waited for. */
    readonly problems?: boolean;
    /**
     * Who opens the file: 'extension' (the default) calls showTextDocument, which opens the
     * document through the extension host before the workbench opens its editor; 'workbench'
     * runs vscode.open, which the workbench carries out itself, as when a person clicks the file.
     */
    readonly openFrom?: 'extension' | 'workbench';
    /** How long the window is left alone after activation before the file opens (see WINDOW_SETTLE_MS). */
    readonly settleMs?: number;
  };
  /**
   * Profile the extension host's CPU into this file: around activation (and this long after it),
   * or, with phase 'editor', from opening the CSR file until the page drew its first CodeLens.
   */
  readonly profile?: {
    readonly file: string;
    readonly afterMs: number;
    readonly intervalUs: number;
    readonly phase?: 'activation' | 'editor';
  };
  /**
   * Leave marks of what the extension host sees (the document opened, an editor shown, Problems
   * changed, and VS Code asking for lenses, through a provider of the probe's own that gives none).
   */
  readonly timeline?: boolean;
  /** Written by the benchmark once the page drew a CodeLens; the probe types only after that. */
  readonly codeLensFile?: string;
  /** The probe returns (and the window may go) once this file exists, so the page can be read first. */
  readonly releaseFile?: string;
}

export const PROBE_CONFIG_NAME = 'activation-probe.json';

/**
 * How long a fresh window is left alone before the CSR file opens, by default. A window still
 * starting up sends its configuration and file events meanwhile, and each one can start VS Code's
 * CodeLens delay again: measured, the empty extension's first lens took 600 ms or 1,300 ms by
 * that race alone. A person opening a file from the Explorer does it in a window that is done.
 * `--settle 0` opens at once, as before.
 */
export const WINDOW_SETTLE_MS = 2000;

/** The `--settle MS` flag of the tools that open the file, or WINDOW_SETTLE_MS. */
export function settleFlag(argv: readonly string[]): number {
  const at = argv.indexOf('--settle');
  const value = at === -1 ? WINDOW_SETTLE_MS : Number(argv[at + 1]);
  if (!Number.isFinite(value) || value < 0 || value > 60_000)
    throw new Error('--settle takes milliseconds, 0 to 60000');
  return value;
}

/** The global function the probe defines for marks: `globalThis[MARK_GLOBAL]?.(name)` leaves one (the timeline's own test extensions do). */
export const MARK_GLOBAL = '__sectigoBenchMark';

export interface ActivationSample {
  readonly state: 'done';
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly extensionId: string;
  readonly activationMs: number;
  /** The extension host's monotonic clock (µs, as a CPU profile counts) when activate() began and returned. */
  readonly activationWindowUs?: readonly [number, number];
  /** True when something activated the extension before the probe did: the sample is void. */
  readonly alreadyActive: boolean;
  /** With a profile of phase 'editor': the monotonic clock (µs) when the CSR file was opened and when the lens was seen. */
  readonly editorWindowUs?: readonly [number, number];
  /** Wall-clock time (Date.now()) just before the CSR file was shown, to compare with the page's clock. */
  readonly openedAt?: number;
  /** From the `type` command in the middle of the file to the next change of its diagnostics. */
  readonly keystrokeToProblemsMs?: number;
  /** Marks (name, Date.now()) that code in the extension host left through MARK_GLOBAL while the probe ran. */
  readonly marks?: readonly (readonly [string, number])[];
  readonly error?: string;
}

/**
 * Runs in the page before the workbench: notes the wall-clock time at which the first CodeLens
 * with a title is in the DOM (an unresolved or cached lens has no link text yet), and tells the
 * benchmark through the function it exposed as __sectigoCodeLensDrawn.
 */
export const FIRST_CODELENS_SCRIPT = `(() => {
  const drawn = () => {
    for (const link of document.querySelectorAll('.codelens-decoration a')) if (link.textContent.trim() !== '') return true;
    return false;
  };
  const observer = new MutationObserver(() => {
    if (window.__firstCodeLensAt === undefined && drawn()) {
      window.__firstCodeLensAt = Date.now();
      window.__sectigoCodeLensDrawn(window.__firstCodeLensAt);
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;
