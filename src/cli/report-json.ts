// The --json form of a CSR analysis result: defined in the core (the assistants' tools give the
// same facts), used here by `inspect --json` and `new --json`.
export { toJson } from '../core/csr/report-json';
