// What the lazy bundles export, as the code that uses them sees it: types only. The loading itself
// is src/vscode/bundles/load.ts's, and only src/extension.ts imports that: everything below it is
// handed the loader it needs (the client pool, the replace flow, the editor's host), so no module
// reaches up to a loader that knows every bundle.

/** The HTTP client (undici) and the certificate reader (@peculiar/x509): dist/sectigo-client.js. */
export type SectigoClientModule = typeof import('../bundles/sectigo-client');
/** The CSR analysis (also the worker thread's entry): dist/csr-analysis-worker.js. */
export type CsrAnalysisModule = typeof import('../bundles/csr-analysis-worker');
/** The key and request generator (@peculiar/x509): dist/csr-new.js. */
export type KeyGeneratorModule = typeof import('../bundles/csr-new');

/** A lazy module: the first call loads it, later calls reuse it; a failed load is tried again next time. */
export type LoadModule<M> = () => Promise<M>;
