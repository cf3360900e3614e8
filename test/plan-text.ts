// Reading a confirmation back as a request: the preview lines (`POST URL`, then `name = shown`)
// and the sentence that gives another button's request as a difference ("the same request with
// revokeOldOrder = Y"). Tests use it to check that what a dialog says is what the fake Sectigo
// server received, so the reading is strict: a line or a phrase it does not know fails the test.

export interface ReadRequest {
  url: string;
  /** The fields in the order shown: name and shown value. */
  fields: [name: string, shown: string][];
}

/** The preview that starts at the line `POST …` and runs to the first empty line (or the end). */
export function readPreview(text: string): ReadRequest {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('POST '));
  if (start < 0) throw new Error(`no "POST" line in: ${text}`);
  const url = (lines[start] ?? '').slice('POST '.length);
  const fields: [string, string][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const match = /^(\w+) = (.*)$/.exec(line);
    if (!match) throw new Error(`not a preview line: ${JSON.stringify(line)}`);
    fields.push([match[1] as string, match[2] as string]);
  }
  return { url, fields };
}

/** The request `shown` with the difference said in `sentence` ("the same request …") applied. */
export function applyDifference(shown: ReadRequest, sentence: string): ReadRequest {
  const rest = /^the same request(?: (.*))?$/.exec(sentence.trim());
  if (!rest) throw new Error(`not a difference: ${JSON.stringify(sentence)}`);
  const fields = shown.fields.map(([name, value]): [string, string] => [name, value]);
  for (const part of rest[1] ? rest[1].split(', ') : []) {
    const change = /^(with|without) (\w+) = (.*?)(?: instead of (\w+) = (.*))?$/.exec(part);
    if (!change) throw new Error(`not a change: ${JSON.stringify(part)}`);
    const [, how, name, value, wasName, wasValue] = change as unknown as [
      string,
      string,
      string,
      string,
      string?,
      string?,
    ];
    const index = fields.findIndex(([field]) => field === name);
    if (how === 'without') {
      if (index < 0 || fields[index]?.[1] !== value)
        throw new Error(`"${part}": the shown request has no ${name} = ${value}`);
      fields.splice(index, 1);
    } else if (wasName !== undefined) {
      if (wasName !== name || index < 0 || fields[index]?.[1] !== wasValue)
        throw new Error(`"${part}": the shown request has no ${wasName} = ${wasValue}`);
      fields[index] = [name, value];
    } else {
      if (index >= 0) throw new Error(`"${part}": the shown request has ${name} already`);
      fields.push([name, value]);
    }
  }
  return { url: shown.url, fields };
}

/**
 * The parameters the fake server records for a request shown this way: the password as
 * '[redacted]', the CSR as its length (the preview says "name (N characters)").
 */
export function asFakeServerRecords(request: ReadRequest): Record<string, string> {
  return Object.fromEntries(
    request.fields.map(([name, shown]) => {
      if (name === 'loginPassword') return [name, '[redacted]'];
      if (name === 'csr') {
        const length = /\((\d+) characters\)$/.exec(shown)?.[1];
        if (length === undefined) throw new Error(`the CSR is shown without its length: ${shown}`);
        return [name, `[${length} characters]`];
      }
      return [name, shown];
    }),
  );
}
