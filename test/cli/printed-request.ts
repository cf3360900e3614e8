// The request a `sectigo-csr` call prints (the refusal without --yes, --json's "request", the
// SECTIGO_CSR_DEBUG preview), read back and compared with what the fake server received.
import assert from 'node:assert/strict';
import type { FakeSectigo, ReceivedRequest } from '../fake-sectigo/server';

export interface PrintedRequest {
  url: string;
  /** Name and shown value, in the order printed. */
  parameters: Array<[string, string]>;
}

/** The request of --json's "request" field (its parameters in the printed order). */
export function jsonRequest(stdout: string): PrintedRequest {
  const printed = JSON.parse(stdout) as { request: { url: string; parameters: Record<string, string> } };
  return { url: printed.request.url, parameters: Object.entries(printed.request.parameters) };
}

/**
 * A preview printed as text (`POST URL`, then `name = shown` a line), after `prefix` (`[debug] `
 * for SECTIGO_CSR_DEBUG, two spaces for the refusal without --yes). Undefined when none is printed.
 */
export function textRequest(printed: string, prefix: string): PrintedRequest | undefined {
  const lines = printed.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${prefix}POST `));
  if (start < 0) return undefined;
  const url = (lines[start] ?? '').slice(`${prefix}POST `.length);
  const parameters: Array<[string, string]> = [];
  // The debug preview's parameter lines follow as lines of outside text (one multi-line log message
  // of the client), which the terminal sink begins with its "> "; the refusal's are indented.
  const indent = prefix.startsWith('[') ? '> ' : prefix;
  for (const line of lines.slice(start + 1)) {
    const match = new RegExp(`^${indent}([A-Za-z]+) = (.*)$`).exec(line);
    if (!match) break;
    parameters.push([match[1] ?? '', match[2] ?? '']);
  }
  return { url, parameters };
}

/**
 * Fails unless `printed` is exactly the request the server received: the same URL, the same
 * parameters in the same order with the same values. The fake records the password as
 * "[redacted]" (and whether it matched) and the CSR as "[<n> characters]"; the printed request
 * masks the password and shows the CSR as "<name> (<n> characters)", so those two are compared
 * in those forms.
 */
export function assertPrintedIsReceived(
  printed: PrintedRequest,
  received: ReceivedRequest | undefined,
  fake: FakeSectigo,
): void {
  assert.ok(received, 'the server received a request');
  assert.equal(printed.url, `${fake.url}!${received.endpoint}`, 'the printed URL is where the request went');
  const asReceived = printed.parameters.map(([name, shown]): [string, string] => {
    if (name === 'loginPassword') {
      assert.match(shown, /^•+$/, 'the printed password is masked');
      return [name, '[redacted]'];
    }
    if (name === 'csr') {
      const length = /\((\d+) characters\)$/.exec(shown)?.[1];
      assert.ok(length !== undefined, `the CSR is shown by its length: ${shown}`);
      return [name, `[${length} characters]`];
    }
    return [name, shown];
  });
  assert.deepEqual(asReceived, Object.entries(received.params), 'the printed parameters are those received, in order');
  assert.equal(received.passwordMatched, true, 'the password sent is the one the printed mask stands for');
}
