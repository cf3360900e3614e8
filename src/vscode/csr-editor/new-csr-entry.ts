// The heavy half of "create a compliant key and CSR": key generation and @peculiar/x509.
// esbuild bundles this file on its own as dist/csr-new.js, which new-csr-loader.ts requires
// only when the user asks for a new key, so activation never parses the X.509 library. No 'vscode' here.
export { generateRequest } from '../../core/csr-new/generate';
export { PairWriteError, checkTargetsFree, isUnignoredInGitWorkTree, writePair } from '../../core/csr-new/write-pair';
