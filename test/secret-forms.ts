// Every way a secret could leak into printed, logged or stored text: raw, form- and
// percent-encoded, JSON- and HTML-escaped, Base64 (at each of the three alignments, as it
// would appear inside a longer Base64 run), upper and lower case, UTF-16 (LE and BE, read byte for
// byte), and fragments of it.
export function secretForms(secret: string): string[] {
  const html = secret
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ p: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    html,
    secret.toUpperCase(),
    secret.toLowerCase(),
    Buffer.from(secret, 'utf16le').toString('latin1'),
    Buffer.from(secret, 'utf16le').swap16().toString('latin1'),
  ]);
  for (let shift = 0; shift < 3; shift += 1) {
    // Drop the characters whose encoding depends on the neighbours: what remains appears whatever surrounds it.
    const base64 = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret, 'utf8')]).toString('base64');
    forms.add(base64.slice(shift === 0 ? 0 : 4, -4));
  }
  // Fragments: any 8 consecutive characters.
  for (let i = 0; i + 8 <= secret.length; i += 1) forms.add(secret.slice(i, i + 8));
  return [...forms].filter((form) => form.length >= 6);
}

/** The first form of `secret` found in `text`, or undefined. */
export function findSecret(text: string, secret: string): string | undefined {
  return secretForms(secret).find((form) => text.includes(form));
}
