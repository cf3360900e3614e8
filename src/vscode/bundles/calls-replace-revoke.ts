// Bundle entry (dist/calls-replace-revoke.js, loaded through ./load.ts when Replace, Revoke or
// Revoke from Certificate File first runs): the two single-call flows, their questions, the
// confirmation, and the running and recording of a call. The bundle has its own copy of the
// command boundary, told the extension mode by the loader.
export { allowAutomation } from '../shared/command-boundary';
export { registerReplaceCommand } from '../calls/replace-command';
export { registerRevokeCommand } from '../calls/revoke-command';
export { registerRevokeFromCertificate } from '../calls/revoke-from-certificate-command';
