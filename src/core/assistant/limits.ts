// The bounds of the assistants' tools, defined once: the tools' descriptions and input schemas,
// the VS Code tools and the MCP server read them from here. A model chooses within them; nothing
// it asks for goes past them. No imports.

/** Files one check reads when the call does not say. */
export const CHECK_DEFAULT_FILES = 100;
/** The most files one check reads, whatever the call asks. */
export const CHECK_MAX_FILES = 500;
/** Seconds one check may run when the call does not say. */
export const CHECK_DEFAULT_SECONDS = 20;
/** The longest one check may run, whatever the call asks. */
export const CHECK_MAX_SECONDS = 60;
/** Bytes one check reads in all its files together (each file is also held to the analysis's own 4 MiB). */
export const CHECK_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** The glob a check uses when the call gives none: the request files of the pkcs10 language. */
export const CHECK_DEFAULT_GLOB = '**/*.{csr,req}';
/** The longest glob accepted. */
export const MAX_GLOB_CHARACTERS = 1000;
/** The longest path accepted. */
export const MAX_PATH_CHARACTERS = 4096;
/** The longest code explain accepts (every code is far shorter). */
export const MAX_CODE_CHARACTERS = 100;
/** Requests of one input reported in full by inspect; the others are counted and named by line. */
export const INSPECT_MAX_DETAILED_REQUESTS = 20;
/** Findings a check lists one by one; beyond that, files are counted. */
export const CHECK_MAX_LISTED_FINDINGS = 300;
/** Files without findings a check names (the rest are counted). */
export const CHECK_MAX_LISTED_CLEAN_FILES = 50;
/** Characters of one value from a request (a subject, a name) shown in a result; a longer one is cut, saying so. */
export const MAX_OUTSIDE_VALUE_CHARACTERS = 512;
/** Directory entries the MCP server looks at while searching its roots for a glob's files. */
export const WALK_MAX_ENTRIES = 100_000;
