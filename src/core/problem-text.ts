// A Text as a problem's message: the Problems panel, the editor's hover over a squiggle and the
// peek view show it as plain text, one message per finding. VS Code reads no markup in it, but it
// keeps its line breaks (a subject's "\n" would start a forged line of the hover) and draws bidi
// and control characters as they are. So each outside value is on one line (oneLine's escapes) and
// cut to the problem bound, saying so, after the secrets are removed (the one redaction point, as
// every sink); the program's own words keep their line breaks, other invisible characters escaped.
import { escapeInvisible } from './one-line';
import { outsideLine, textParts, type Text } from './outside-text';

/** The string for a problem's message. */
export function renderProblem(message: Text, secrets: readonly string[] = []): string {
  let shown = '';
  for (const part of textParts(message)) {
    shown += 'own' in part ? escapeInvisible(part.own) : outsideLine(part.outside, 'problem', secrets);
  }
  return shown;
}
