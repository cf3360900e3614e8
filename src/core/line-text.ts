// A Text as lines: the command line's standard output and error, and the extension's log. The
// program's own words keep their line breaks; an outside value is put on one line (oneLine) and
// cut to the surface's bound. A line can never begin with text the input chose: a printed line
// `::error title=Forged::…` would be a GitHub Actions command (the runner reads a command after
// leading whitespace), `[error] …` a forged log entry. So every outside value on a line follows
// some of the program's own words on that line; where a template would start a line with one,
// the sink writes OUTSIDE_AT_LINE_START first (no template of ours does: the generated tests
// render every shape and a test of the CLI's output checks each line).
import { escapeInvisible } from './one-line';
import { outsideLine, textParts, type Surface, type Text } from './outside-text';

/** What a line that would begin with an outside value begins with instead (the program's words). */
export const OUTSIDE_AT_LINE_START = '> ';

/**
 * A path (pathText) may begin a line when its first character can begin nothing but a path: a
 * letter, a digit, or one of _ . / \ ~ (no "::" workflow command, "##[" logging command or "["
 * tag). Any other is written after "./", which names the same file.
 */
const PATH_SAFE_START = /^[A-Za-z0-9_./\\~]/;

/** Whether the line being written has own words (anything but white space) once `own` is written after it. */
export function lineHasWordsAfter(own: string, lineHadWords: boolean): boolean {
  const lastBreak = own.lastIndexOf('\n');
  const tail = lastBreak === -1 ? own : own.slice(lastBreak + 1);
  return (lastBreak === -1 && lineHadWords) || /\S/.test(tail);
}

function render(value: Text, surface: Surface, secrets: readonly string[], startHasWords: boolean): string {
  let shown = '';
  // Whether the line being written has own words (anything but whitespace) yet.
  let lineHasWords = startHasWords;
  for (const part of textParts(value)) {
    if ('own' in part) {
      const own = escapeInvisible(part.own);
      shown += own;
      lineHasWords = lineHasWordsAfter(own, lineHasWords);
    } else {
      if (!lineHasWords) {
        shown += 'path' in part && part.path ? (PATH_SAFE_START.test(part.outside) ? '' : './') : OUTSIDE_AT_LINE_START;
        lineHasWords = true;
      }
      shown += outsideLine(part.outside, surface, secrets);
    }
  }
  return shown;
}

/** What the command line writes to a terminal (or a pipe, or a CI log) for this Text. */
export function renderTerminal(value: Text, secrets: readonly string[] = []): string {
  return render(value, 'terminal', secrets, false);
}

/**
 * One entry of the extension's log (its own words may span lines: an error's cause chain). Its
 * first line follows the time and level the log channel writes; each further line is held to the rule.
 */
export function renderLogEntry(value: Text, secrets: readonly string[] = []): string {
  return render(value, 'log', secrets, true);
}
