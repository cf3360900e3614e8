// A Text as a label: a tree row's label, description and tooltip, a quick-pick item's label,
// description and detail, the status bar, a CodeLens title. Each outside value is on one line
// and cut to the label bound. Where the surface renders theme icons from "$(name)" (quick-pick
// items, the status bar, CodeLens titles; VS Code's renderLabelWithIcons), an outside value's
// "$(name)" is escaped as "\$(name)", which VS Code shows as the characters "$(name)". Tree rows
// show their label and description as plain text, so there nothing is added.
import { outsideLine, textParts, type Text } from './outside-text';

// VS Code's icon syntax: ThemeIcon.iconNameExpression and iconModifierExpression (themables.ts),
// as labelWithIconsRegex in iconLabels.ts puts them together (ported: 1.100's grammar).
const ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/** `value` with every "$(name)" VS Code would draw as an icon escaped, so it shows as written. */
export function escapeIcons(value: string): string {
  return value.replace(ICON, (icon) => `\\${icon}`);
}

/** The string for a label; `icons` when the surface draws "$(name)" as an icon. */
export function renderLabel(label: Text, icons: boolean, secrets: readonly string[] = []): string {
  let shown = '';
  for (const part of textParts(label)) {
    if ('own' in part) shown += part.own;
    else {
      const line = outsideLine(part.outside, 'label', secrets);
      shown += icons ? escapeIcons(line) : line;
    }
  }
  return shown;
}
