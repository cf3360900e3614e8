// The CSR analysis as both wings load it: on first use, not at activation (esbuild turns the
// dynamic import into a lazily initialised module inside the same bundle), and never on a text
// too large for the editor's thread.
type CoreCsr = typeof import('../../core/csr/index');

/** Above this many characters a document is not parsed on the UI path (the editor must not stall). */
export const MAX_EDITOR_CHARACTERS = 1024 * 1024;

let coreModule: Promise<CoreCsr> | undefined;

/** The CSR analysis, loaded once on first need. */
export function loadCore(): Promise<CoreCsr> {
  coreModule ??= import('../../core/csr/index');
  return coreModule;
}
