// Bundle entry (dist/csr-new.js, loaded through ./load.ts when the user asks for a new key): key
// generation and @peculiar/x509, so activation never parses the X.509 library. No 'vscode' here.
export { generateRequest } from '../../core/csr-new/generate';
export {
  PairWriteError,
  checkTargetsFree,
  isUnignoredInGitWorkTree,
  writePair,
} from '../../core/csr-new/pair-on-node-fs';
