// The PEM labels of a certificate request, written once for every reader: the analysis (which
// blocks are requests), the certificate reader (which blocks are not certificates), the editor's
// language sniffing and the replace command's choice of the open editor. Old tools write
// NEW CERTIFICATE REQUEST; nothing else is a request, so a header is a BEGIN line with one of these
// labels, and an END line or another label ending in "CERTIFICATE REQUEST" is not one.
// package.json's firstLine pattern and the grammar spell the same two (a test compares them).

export const REQUEST_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'] as const;

/** The BEGIN line of a request's PEM block, anywhere in a text. */
export const REQUEST_HEADER = new RegExp(`-----BEGIN (?:${REQUEST_LABELS.join('|')})-----`);

/** Whether the text holds the BEGIN line of a request's PEM block. */
export function hasRequestHeader(text: string): boolean {
  return REQUEST_HEADER.test(text);
}
