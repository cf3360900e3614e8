// `check --format F`: the formats check writes. Kept apart from the writers, which are loaded
// only for their format (a plain `check one.csr` never loads the SARIF rules' texts or node:crypto).

export type CheckFormat = 'text' | 'sarif' | 'gitlab';
export const checkFormats: readonly CheckFormat[] = ['text', 'sarif', 'gitlab'];

/** Takes `--format F` / `--format=F` out of the arguments; a string is a usage error. */
export function takeFormatOption(args: string[]): { format: CheckFormat; rest: string[] } | string {
  let format: CheckFormat = 'text';
  const rest: string[] = [];
  const choices = `${checkFormats.slice(0, -1).join(', ')} or ${checkFormats.at(-1) ?? ''}`;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    let value: string | undefined;
    if (arg === '--format') {
      value = args[i + 1];
      i += 1;
      if (value === undefined) return `--format needs a value (${choices})`;
    } else if (arg.startsWith('--format=')) value = arg.slice('--format='.length);
    else {
      rest.push(arg);
      continue;
    }
    if (!checkFormats.includes(value as CheckFormat)) return `unknown --format '${value}' (${choices})`;
    format = value as CheckFormat;
  }
  return { format, rest };
}
