// The ASCII form (A-labels, "xn--…") of an internationalised domain name found as raw UTF-8 where
// only ASCII belongs, for the message that says how it should have been written. The WHATWG URL
// parser does the UTS #46 mapping and Punycode of each non-ASCII label, so the editor, the
// browser's extension host and the command line show the same A-labels. Label by label: browsers
// write a wildcard "*" of a host as "%2A" and judge an ASCII "xn--" label differently than Node
// (test/ui/browser-analysis.test.ts), so ASCII labels stay as they were written.

/**
 * Characters the URL parser reads as the end of a host or as something else (a path, a port,
 * userinfo, a percent-escape it would decode) and white space: never part of a domain name, so
 * a text holding one has no A-label form, whatever the parser would make of it.
 */
const NOT_IN_A_DOMAIN = /[\s/\\?#@:%[\]<>^|"'`{}]/u;
const ASCII = /^[\x00-\x7f]*$/;

/** One non-ASCII label as IDNA maps and encodes it (a full-width stop in it may make it two), or null. */
function labelToAscii(label: string): string | null {
  try {
    // After a last label of letters, so that a label mapping to digits is never read as an IPv4 address.
    const host = new URL(`http://${label}.a/`).hostname;
    return host.endsWith('.a') && host.length > 2 ? host.slice(0, -2) : null;
  } catch {
    return null;
  }
}

/**
 * The domain with every non-ASCII label as IDNA writes it (mapped: case folded, compatibility
 * forms replaced; then its A-label), ASCII labels as written, or null when it is no valid domain
 * name (a label IDNA refuses, a character no domain holds).
 */
export function domainToAscii(domain: string): string | null {
  if (domain === '' || NOT_IN_A_DOMAIN.test(domain)) return null;
  const labels: string[] = [];
  for (const label of domain.split('.')) {
    const ascii = ASCII.test(label) ? label : labelToAscii(label);
    if (ascii === null) return null;
    labels.push(ascii);
  }
  return labels.join('.');
}
