// Reads a secret from the terminal without echoing it: raw mode, one key at a time, so the
// passphrase never appears on screen, in scrollback or in a shell history.
import { ReadStream } from 'node:tty';
import type { Text } from '../core/outside-text';
import { promptOutput } from './terminal';

/** Asks one question and resolves with the answer, or null when the user gave up (Ctrl-C, Ctrl-D, timeout). */
export type SecretPrompt = (question: Text) => Promise<string | null>;

/** A person has this long to type a passphrase; a forgotten prompt must not hang a script forever. */
export const secretPromptTimeoutMs = 5 * 60 * 1000;
const maxSecretCharacters = 1024;

/** The terminal's prompt, or null when standard input or standard error is not a terminal. */
export function terminalSecretPrompt(): SecretPrompt | null {
  const input = process.stdin;
  if (!(input instanceof ReadStream) || !input.isTTY || !process.stderr.isTTY) return null;
  return (question) =>
    new Promise((resolve) => {
      let answer = '';
      const finish = (value: string | null): void => {
        clearTimeout(timer);
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        promptOutput.endLine();
        resolve(value);
      };
      const onData = (chunk: string | Buffer): void => {
        for (const character of String(chunk)) {
          if (character === '\r' || character === '\n') return finish(answer);
          if (character === '\u0003' || character === '\u0004') return finish(null);
          if (character === '\u007f' || character === '\b') answer = [...answer].slice(0, -1).join('');
          else if (character >= ' ' && answer.length < maxSecretCharacters) answer += character;
        }
      };
      const timer = setTimeout(() => finish(null), secretPromptTimeoutMs);
      promptOutput.question(question);
      input.setRawMode(true);
      // Decoded by the stream, so a character split across two reads is not garbled.
      input.setEncoding('utf8');
      input.resume();
      input.on('data', onData);
    });
}
