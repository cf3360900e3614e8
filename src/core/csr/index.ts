// The CSR analysis for Node: the command line, the API client's pre-flight check and the VS Code
// extension's Node host. The analysis itself (analyse.ts) needs no Node built-in; here it is
// bound to Node's crypto for the signature check, synchronous and the fastest there is.
import { analyseCsrTextWith } from './analyse';
import type { CsrAnalysisResult } from './types';
import { nodeSignatureVerifier } from './verify-node';

export * from './analyse';
export { nodeSignatureVerifier } from './verify-node';

/**
 * Analyses every certificate request in `input` (PEM blocks, bare Base64 or DER).
 * One result per block, in order; inputs that hold no request give one error result.
 * Never throws.
 */
export function analyseCsrText(input: string | Uint8Array, file = '<input>'): CsrAnalysisResult[] {
  return analyseCsrTextWith(nodeSignatureVerifier, input, file);
}
