// Whether a file's bytes are DER or text, decided once for every reader of a file (the editor's
// certificate and CSR readers, the command line's snippets): DER begins with a SEQUENCE tag (0x30,
// which is also the digit "0") and holds tag and length bytes text never has; text, in any
// encoding of letters, has no control bytes but tab, line ends and form feed.

/** How much of the start is looked at: a certificate's or request's first INTEGER tag comes within a few bytes. */
const SNIFF_BYTES = 512;

/** Whether the bytes are DER (binary), not PEM, Base64 or other text that happens to begin with "0". */
export function isDerBytes(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let index = 1; index < end; index += 1) {
    const byte = bytes[index] as number;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return true;
  }
  return false;
}
