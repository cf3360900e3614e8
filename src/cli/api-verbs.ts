// The verbs that call Sectigo, bundled apart as dist/cli-api.js (esbuild.mjs), so `check` and
// `inspect` never load or parse the HTTP client (undici) or @peculiar/x509. A verb that needs
// either is exported here, not imported by main.ts directly.
export { runReplace } from './replace';
export { runRevoke } from './revoke';
