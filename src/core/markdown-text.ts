// Text from a certificate request (a subject, a SAN, a template name) put into Markdown: shown as
// the characters it is, never as markup. One function for the hover, the inspect report and any
// other Markdown, so that no link, image, HTML, autolink or command: URI can come from a request.
import { oneLine } from './one-line';

// Every ASCII punctuation character: CommonMark (markdown-it) and GFM (marked, VS Code's hovers)
// both read a backslash before any of them as the character itself. Escaping all of them, not a
// chosen few, leaves nothing to start markup: no [ or ( for a link, no < for HTML or an autolink,
// no ` to open or close a code span, no & for an entity, no | for a table cell, and no plain "."
// or ":" for a linkifier to read "example.com" or "command:x" as a link.
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** `text` as literal Markdown inline text, on one line (line breaks and invisible characters shown escaped). */
export function markdownText(text: string): string {
  return oneLine(text).replace(ASCII_PUNCTUATION, (character) => `\\${character}`);
}

/** Tokens safe as a code span whatever renders them: OIDs, finding codes, numbers. */
const PLAIN_TOKEN = /^[A-Za-z0-9._-]+$/;

/** Inline code for a token of known shape; anything else is shown as escaped text instead. */
export function markdownCode(text: string): string {
  return PLAIN_TOKEN.test(text) ? `\`${text}\`` : markdownText(text);
}
