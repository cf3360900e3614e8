// Bundle entry (dist/calls.js, loaded through ./load.ts when one of the calls' commands first
// runs, when the Orders view is first shown, or after activation when an interrupted bulk run is
// waiting): every command that calls Sectigo or handles what a call needs (the accounts, the
// replace and revoke flows, the bulk revocation, the Orders view's tree and its commands), one
// copy of each. Its commands are ids.ts's CallCommands. The bundle has its own copy of the command
// boundary, told the extension mode by the loader.
export { allowAutomation } from '../shared/command-boundary';
export { registerCredentialCommands } from '../calls/credential-commands';
export { registerReplaceCommand } from '../calls/replace-command';
export { registerRevokeCommand } from '../calls/revoke-command';
export { registerRevokeFromCertificate } from '../calls/revoke-from-certificate-command';
export { offerResumeAfterActivation, registerBulkRevokeCommand } from '../calls/bulk-revoke-command';
export { registerOrdersCommands } from '../calls/orders-commands';
export { registerOrdersTree } from '../calls/orders-tree';
