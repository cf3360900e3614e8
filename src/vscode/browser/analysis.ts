// The CSR analysis as the browser runs it: core/csr/analyse.ts with the browser's signature
// check (WebCrypto where it can, plain JavaScript for the rest: core/csr/verify-web.ts). A lazily
// initialised module of the browser bundle: extension.ts reaches it by a dynamic import only.
import {
  analyseCsrTextAsync,
  analyseFoundBlockAsync,
  explainSignatureHash,
  findRequests,
  rsaModulusOf,
  summariseCsr,
  withSharedPrimeFindings,
  type CsrAnalysisResult,
} from '../../core/csr/analyse';
import { webSignatureVerifier } from '../../core/csr/verify-web';
import type { AnalysisCore } from '../csr-editor/host';

/** Every request in `input`, analysed with the browser's signature check. Never rejects. */
export function analyseInBrowser(input: string | Uint8Array, file: string): Promise<CsrAnalysisResult[]> {
  return analyseCsrTextAsync(webSignatureVerifier, input, file);
}

export const browserCore: AnalysisCore = {
  findRequests,
  analyseFoundBlock: (block, file, index) => analyseFoundBlockAsync(webSignatureVerifier, block, file, index),
  analyseCsrText: (input, file = '<input>') => analyseInBrowser(input, file),
  summariseCsr,
  explainSignatureHash,
  withSharedPrimeFindings,
  rsaModulusOf,
};
