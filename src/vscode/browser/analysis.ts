// The CSR analysis as the browser runs it, loaded on first use (a lazily initialised module of
// this one bundle): the analysis with the browser's signature check, and the key generator that
// reads its new request back through the same analysis.
import type { CsrAnalysisResult } from '../../core/csr/types';
import type { KeyType, RequestSubject } from '../../core/csr-new/subject';
import type { NewRequest } from '../../core/csr-new/make-pair';

/** The analysis with the browser's signature check (WebCrypto where it can, plain JavaScript for the rest). */
export async function analyseInBrowser(input: string | Uint8Array, file: string): Promise<CsrAnalysisResult[]> {
  const [core, web] = await Promise.all([import('../../core/csr/analyse'), import('../../core/csr/verify-web')]);
  return core.analyseCsrTextAsync(web.webSignatureVerifier, input, file);
}

/** The browser's generator: the pair made with WebCrypto, checked by the browser's analysis. */
export const browserGenerator = {
  async generateRequest(
    subject: RequestSubject,
    keyType: KeyType,
    passphrase: string | null,
    file?: string,
  ): Promise<NewRequest> {
    const { makeRequestPair } = await import('../../core/csr-new/make-pair');
    return makeRequestPair(analyseInBrowser, subject, keyType, passphrase, file);
  },
};
