// The CSR analysis for a browser's web worker (vscode.dev, github.dev): the same analysis as
// index.ts, with the signature checked by WebCrypto and plain JavaScript (verify-web.ts), so
// asynchronous. Imports no Node built-in, directly or through another module.
import { analyseCsrTextAsync } from './analyse';
import type { CsrAnalysisResult } from './types';
import { webSignatureVerifier } from './verify-web';

export * from './analyse';
export { webSignatureVerifier } from './verify-web';

/** Analyses every certificate request in `input`, like index.ts's analyseCsrText. Never rejects. */
export function analyseCsrTextInBrowser(input: string | Uint8Array, file = '<input>'): Promise<CsrAnalysisResult[]> {
  return analyseCsrTextAsync(webSignatureVerifier, input, file);
}
