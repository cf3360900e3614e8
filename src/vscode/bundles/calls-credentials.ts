// Bundle entry (dist/calls-credentials.js, loaded through ./load.ts when Set Credentials, Clear
// Credentials or Select Account first runs): the account commands and their questions. The
// accounts themselves (../calls/credentials.ts) stay in dist/extension.js: the status bar shows them.
// The bundle has its own copy of the command boundary, told the extension mode by the loader.
export { allowAutomation } from '../shared/command-boundary';
export { registerCredentialCommands } from '../calls/credential-commands';
