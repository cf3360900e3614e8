// What bench/vscode-activation.bench.ts and the probe it loads into the extension host tell each
// other. Apart from the probe, so the benchmark (plain Node) does not import 'vscode'.

/** Written by the benchmark next to the compiled probe before each window. */
export interface ProbeConfig {
  readonly reportFile: string;
  readonly extensionId: string;
  /** A CSR file to open after activation, and the line of a Base64 body where the keystroke goes. */
  readonly csr?: { readonly file: string; readonly keystrokeLine: number };
  /** Profile the extension host's CPU around activation (and this long after it) into this file. */
  readonly profile?: { readonly file: string; readonly afterMs: number; readonly intervalUs: number };
  /** Written by the benchmark once the page drew a CodeLens; the probe types only after that. */
  readonly codeLensFile?: string;
  /** The probe returns (and the window may go) once this file exists, so the page can be read first. */
  readonly releaseFile?: string;
}

export const PROBE_CONFIG_NAME = 'activation-probe.json';

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
  /** Wall-clock time (Date.now()) just before the CSR file was shown, to compare with the page's clock. */
  readonly openedAt?: number;
  /** From the `type` command in the middle of the file to the next change of its diagnostics. */
  readonly keystrokeToProblemsMs?: number;
  readonly error?: string;
}
