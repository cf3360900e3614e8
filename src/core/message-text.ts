// A Text as VS Code shows it in a notification, a progress notification or a dialog. The
// workbench parses a notification's message (and a quick input's prompt and validation message)
// with parseLinkedText (src/vs/base/common/linkedText.ts in VS Code 1.100):
//   /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi
// and makes every match a clickable link. The grammar has no escape: nothing can be put before a
// character to make it plain. Every match needs a "]" followed at once by "(", so the sink puts
// an invisible WORD JOINER (U+2060) between them, wherever they meet in the whole message: no
// link can survive, whatever the parts on either side, and the text reads as it was. U+2060 is
// never otherwise in a shown message: an outside value's own format characters are escaped
// (oneLine), so removing every U+2060 gives back exactly what was meant.
import { escapeIcons } from './label-text';
import { outsideLine, textParts, type Text } from './outside-text';

/** Put between "]" and "(" so that VS Code's link grammar never matches. */
export const LINK_BREAK = '\u2060';

/** Every "](" of `shown` with LINK_BREAK between: no [label](target) is left for VS Code to link. */
export function breakMessageLinks(shown: string): string {
  return shown.replace(/\]\(/g, `]${LINK_BREAK}(`);
}

/**
 * The string VS Code is given for a notification's or a dialog's message or detail: own words as
 * written (a dialog's detail keeps its own line breaks), each outside value on one line and cut to
 * the message bound, then no link anywhere. `icons` for a quick input's prompt and validation
 * message, which VS Code renders with theme icons as well as links (renderQuickInputDescription).
 */
export function renderMessage(message: Text, options: { icons?: boolean; secrets?: readonly string[] } = {}): string {
  let shown = '';
  for (const part of textParts(message)) {
    if ('own' in part) shown += part.own;
    else {
      const line = outsideLine(part.outside, 'message', options.secrets ?? []);
      shown += options.icons ? escapeIcons(line) : line;
    }
  }
  return breakMessageLinks(shown);
}
