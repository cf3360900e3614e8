// Chunk entry (dist/browser-csr-new.js, loaded through ./load-chunk.ts when the user asks for a
// new key): the key and request generator with @peculiar/x509, about 210 KiB of the browser
// build, so that opening a request in the browser never fetches or parses it. No 'vscode' here,
// and no analysis: the caller passes its own (the one already loaded), which reads the new
// request back.
export { makeRequestPair } from '../../core/csr-new/make-pair';
