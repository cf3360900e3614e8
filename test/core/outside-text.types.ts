// Compile-time tests of the outside-text type (src/core/outside-text.ts), checked by `npm run
// typecheck` (tsconfig includes test/): each `@ts-expect-error` line must fail to compile, and tsc
// fails when one compiles ("unused @ts-expect-error"), so the type's refusals cannot go quiet.
// The lines are never run (the function below is never called).
import { renderMessage } from '../../src/core/message-text';
import { markup } from '../../src/core/markdown-text';
import { renderTerminal } from '../../src/core/line-text';
import { outside, textFrom, words, type Outside, type Text } from '../../src/core/outside-text';

export function outsideTextRefusals(fileName: string, subject: Outside, computed: string, ok: Text): void {
  // A sink takes a Text, never a string.
  // @ts-expect-error a plain string is no message
  renderMessage(fileName);
  // @ts-expect-error an outside value alone is no message either: it must sit in a Text's hole
  renderMessage(subject);
  // @ts-expect-error `${outside}` in a template literal is a plain string again
  renderTerminal(`Created ${subject}`);
  // @ts-expect-error a plain string cannot fill a hole: it must be marked outside where it enters
  void words`Created ${fileName}`;
  // @ts-expect-error the own words of textFrom are a literal in the source, not a computed string
  textFrom(computed);
  // @ts-expect-error nor a template with a computed part
  textFrom(`Created ${fileName}: {0}`, subject);
  // @ts-expect-error Markdown's holes take no plain string either
  void markup`**${fileName}**`;
  // What compiles: literals for own words, outside() where a string enters.
  renderMessage(textFrom('Created {0}.', outside(fileName)));
  renderTerminal(words`Created ${subject} (${ok}).\n`);
  void markup`**${subject}**`;
}
