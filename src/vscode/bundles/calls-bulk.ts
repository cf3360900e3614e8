// Bundle entry (dist/calls-bulk.js, loaded through ./load.ts when Revoke from List first runs, or
// after activation when an interrupted run is waiting): the bulk revocation flow, its questions,
// the run, the journal and the pacer. The bundle has its own copy of the command boundary, told
// the extension mode by the loader.
export { allowAutomation } from '../shared/command-boundary';
export { offerResumeAfterActivation, registerBulkRevokeCommand } from '../calls/bulk-revoke-command';
