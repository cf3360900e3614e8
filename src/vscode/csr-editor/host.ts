// What the editor features need from the extension host they run in. The same features run in
// Node (desktop, remote windows) and in the browser's web worker (vscode.dev, github.dev):
// each entry (src/extension.ts, src/vscode/browser/extension.ts) gives its own host, and
// nothing under csr-editor/ imports a Node built-in, so the browser bundle can hold it all.
import type * as vscode from 'vscode';
import type { CsrAnalysisResult } from '../../core/csr/types';
import type { NewRequest } from '../../core/csr-new/make-pair';
import type { KeyType, RequestSubject } from '../../core/csr-new/subject';
import type { Pair } from '../../core/csr-new/pair-writer';

/** An analysis running off the extension host's thread; `cancel` ends it (its results then reject). */
export interface OffThreadAnalysis {
  readonly results: Promise<CsrAnalysisResult[]>;
  readonly cancel: () => void;
}

export interface AnalysisHost {
  /** The analysis in this thread (the module is loaded on first use). */
  analyse(text: string, file: string): Promise<CsrAnalysisResult[]>;
  /** The analysis in a worker thread, for large texts; absent where there are none (then it runs in this thread). */
  readonly offThread?: (text: string, file: string) => OffThreadAnalysis;
}

/** Where New CSR writes, and how it makes the pair. */
export interface NewCsrHost {
  /** The key and request generator, loaded on first use (it holds the X.509 library). */
  loadGenerator(): Promise<{
    generateRequest(
      subject: RequestSubject,
      keyType: KeyType,
      passphrase: string | null,
      file?: string,
    ): Promise<NewRequest>;
  }>;
  /** Whether something exists under `uri` (the "beside the old request" names). */
  exists(uri: vscode.Uri): Promise<boolean>;
  /** Whether a new file can be written in the folder of `uri` (its file system is writable). */
  canWriteBeside(uri: vscode.Uri): boolean;
  /** Refuses (PairWriteError) when a target exists, before the key is made. */
  checkFree(pair: Pair<vscode.Uri>): Promise<void>;
  /** Writes both or neither, never over a file; `ownerOnly` says whether the key could be made owner-readable only. */
  write(pair: Pair<vscode.Uri>, csrText: string, keyText: string): Promise<{ ownerOnly: boolean }>;
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
