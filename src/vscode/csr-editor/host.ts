// What the editor features need from the extension host they run in. The same features run in
// Node (desktop, remote windows) and in the browser's web worker (vscode.dev, github.dev): each
// entry (src/extension.ts, src/vscode/browser/extension.ts) gives its own host, and nothing
// under csr-editor/ but node-host.ts imports a Node built-in, so the browser bundle can hold it all.
import type * as vscode from 'vscode';
import type {
  CsrAnalysisResult,
  CsrReport,
  FoundBlock,
  FoundRequest,
  SignatureHashOption,
  withSharedPrimeFindings,
} from '../../core/csr/analyse';
import type { NewRequest } from '../../core/csr-new/make-pair';
import type { KeyType, RequestSubject } from '../../core/csr-new/subject';
import type { Pair } from '../../core/csr-new/pair-through-any-fs';

/**
 * The analysis as the editor uses it: the core's pure functions (core/csr/analyse.ts) with the
 * host's signature check bound in, synchronous in Node (its crypto), asynchronous in the browser
 * (WebCrypto).
 */
export interface AnalysisCore {
  findRequests(input: string | Uint8Array): FoundBlock[];
  analyseFoundBlock(block: FoundBlock, file: string, index: number): CsrAnalysisResult | Promise<CsrAnalysisResult>;
  analyseCsrText(input: string | Uint8Array, file?: string): CsrAnalysisResult[] | Promise<CsrAnalysisResult[]>;
  summariseCsr(report: CsrReport): string;
  explainSignatureHash(hash: string | null, option: SignatureHashOption): string;
  /** The batch's shared primes (core/csr/shared-primes.ts) and the RSA modulus of a report. */
  withSharedPrimeFindings: typeof withSharedPrimeFindings;
  rsaModulusOf(report: CsrReport): bigint | null;
}

/** One block analysed off the extension host's thread; `cancel` ends it (its result then rejects). */
export interface OffThreadAnalysis {
  readonly result: Promise<CsrAnalysisResult>;
  readonly cancel: () => void;
}

export interface AnalysisHost {
  /** The analysis, loaded on first use (activation never parses it). */
  loadCore(): Promise<AnalysisCore>;
  /**
   * One block in a worker thread, for a block too large to analyse between other work; absent
   * where there are none (the browser's extension host is itself a worker): then it runs here.
   * A cancelled run rejects with `superseded()`.
   */
  readonly offThread?: (block: FoundRequest, file: string, index: number, superseded: () => Error) => OffThreadAnalysis;
  /** Lets the host serve other work between slices of a long analysis. */
  yieldToHost(): Promise<void>;
}

/** The key and request generator: a lazy part of either build (it holds the X.509 library). */
export interface RequestGenerator {
  generateRequest(
    subject: RequestSubject,
    keyType: KeyType,
    passphrase: string | null,
    file?: string,
  ): Promise<NewRequest>;
}

/** Where New CSR writes, and how it makes the pair. */
export interface NewCsrHost {
  loadGenerator(): Promise<RequestGenerator>;
  /** Whether something exists under `uri` (the "beside the old request" names, the files chosen). */
  exists(uri: vscode.Uri): Promise<boolean>;
  /** Whether a new file can be written in the folder of `uri` (its file system is writable). */
  canWriteBeside(uri: vscode.Uri): boolean;
  /** Refuses (PairWriteError) when a target exists, before the key is made. */
  checkFree(pair: Pair<vscode.Uri>): Promise<void>;
  /**
   * Writes both or neither, never over a file. `keyAccess` says what keeps the key its owner's
   * ("mode 0600", an access list), or null where the file system has no such thing.
   */
  write(pair: Pair<vscode.Uri>, csrText: string, keyText: string): Promise<{ keyAccess: string | null }>;
  /** Whether the key lies in a git work tree unignored; null when that cannot be told. */
  exposedToGit(key: vscode.Uri): Promise<boolean | null>;
}

export interface EditorHost {
  readonly analysis: AnalysisHost;
  readonly newCsr: NewCsrHost;
  /**
   * Whether this host may call Sectigo. False in the browser: a form POST from a page reaches
   * Sectigo although CORS hides the answer, an irreversible call with an unknown outcome, so no
   * lens, button or notification offers a call there.
   */
  readonly callsAvailable: boolean;
}
