// The single redaction point. Every log line, error message, body excerpt and
// debug dump that could hold request data goes through here first.

const SECRET_PARAMETERS = new Set(['loginpassword']);
const BULKY_PARAMETERS = new Set(['csr']);

export const REDACTED = '[redacted]';

/** A copy of form parameters safe to log: the password removed, the CSR body replaced by its length. */
export function redactParams(params: Record<string, string>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const lower = name.toLowerCase();
    if (SECRET_PARAMETERS.has(lower)) safe[name] = REDACTED;
    else if (BULKY_PARAMETERS.has(lower)) safe[name] = `[CSR, ${value.length} characters]`;
    else safe[name] = value;
  }
  return safe;
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
// loginPassword=... or csr=... inside a form body, in any letter case, up to the next &.
const FORM_SECRET = /\b(loginPassword|csr)=([^&\s]*)/gi;
// "loginPassword": "..." inside JSON.
const JSON_SECRET = /("(?:loginPassword|csr)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/**
 * Text safe to log: form- and JSON-encoded passwords and CSRs, PEM blocks, credentials in URLs, and the
 * given secret values (raw and in every encoding a form body could carry them) removed.
 */
// user:password@ in a URL (a proxy setting such as http://me:secret@proxy:3128).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi;

export function redactText(text: string, secrets: readonly string[] = []): string {
  let safe = text.replace(PEM_BLOCK, '[PEM block removed]');
  safe = safe.replace(URL_USERINFO, (_match, scheme: string) => `${scheme}${REDACTED}@`);
  safe = safe.replace(FORM_SECRET, (_match, name: string) => `${name}=${REDACTED}`);
  safe = safe.replace(JSON_SECRET, (_match, prefix: string) => `${prefix}"${REDACTED}"`);
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of secretForms(secret)) safe = safe.split(form).join(REDACTED);
  }
  return safe;
}

function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)]);
  // Longest first, so a form that contains another is removed whole.
  return [...forms].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
}
