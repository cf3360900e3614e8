// The CSR analysis as the browser runs it, loaded on first use (a lazily initialised module of
// this one bundle): the analysis with the browser's signature check, and the key generator that
// reads its new request back through the same analysis.
import type { CsrAnalysisResult } from '../../core/csr/types';
import type { KeyType, RequestSubject } from '../../core/csr-new/subject';
import type { NewRequest } from '../../core/csr-new/make-pair';

export async function analyseInBrowser(input: string | Uint8Array, file: string): Promise<CsrAnalysisResult[]> {
  const core = await import('../../core/csr/index');
  return core.analyseCsrText(input, file);
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
