// Base64 in 64-column lines, the body of a PEM block, without Buffer (the browser build uses it too).

/** Standard Base64 of `bytes` (RFC 4648 §4, padded). */
export function base64(bytes: Uint8Array): string {
  // btoa takes a "binary string"; built in chunks, so a large input never makes one huge argument list.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, Math.min(i + 0x8000, bytes.length)));
  return btoa(binary);
}

/** Base64 of `bytes`, broken into lines of 64 characters (RFC 7468), joined with "\n". */
export function base64Lines(bytes: Uint8Array): string {
  const text = base64(bytes);
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 64) lines.push(text.slice(i, i + 64));
  return lines.join('\n');
}
