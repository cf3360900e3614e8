// The sink of the log: a LogOutputChannel named "Sectigo" (its level is set from the Output view,
// like every VS Code log). It takes a Text, or a literal (the program's own words written in the
// source), never a computed string: each outside value is redacted with every password the
// extension knows (the one redaction point), cut to the log bound and put on one line, so it
// cannot fake an entry (renderLogEntry in core/line-text.ts); own words keep their line breaks.
import * as vscode from 'vscode';
import { renderLogEntry } from '../../core/line-text';
import { knownSecrets, rememberSecret } from './known-secrets';
import {
  isText,
  joinText,
  outside,
  outsideError,
  words,
  textFrom,
  tokenText,
  type Literal,
  type Text,
} from '../../core/outside-text';

export const LOG_CHANNEL_NAME = 'Sectigo';
/** How many call entries are kept in memory for "Show Log Entry" (the history keeps its own line). */
const REMEMBERED_ENTRIES = 100;

/** The lines of an error with its `cause` chain and AggregateError members (names and messages are outside text). */
function errorLines(error: unknown, depth: number): Text[] {
  if (depth > 8) return [words`…`];
  if (!(error instanceof Error)) return [words`${outsideError(error)}`];
  // An error's name of the usual shape (Error, TypeError) is a word that may begin a line; its message is outside text.
  const lines = [words`${tokenText(error.name)}: ${outside(error.message)}`];
  if (error instanceof AggregateError)
    for (const inner of error.errors) {
      const [first, ...rest] = errorLines(inner, depth + 1);
      lines.push(words`  - ${first ?? words``}`, ...rest.map((line) => words`    ${line}`));
    }
  if (error.cause !== undefined) {
    const [first, ...rest] = errorLines(error.cause, depth + 1);
    lines.push(words`  caused by ${first ?? words``}`, ...rest.map((line) => words`  ${line}`));
  }
  return lines;
}

/** Unrolls an error with its `cause` chain and AggregateError members, one line each. */
export function describeError(error: unknown): Text {
  return joinText(errorLines(error, 0), words`\n`);
}

/** What the log takes: a Text, or a literal string (own words). */
export type LogMessage<T extends string> = Text | (T & Literal<T>);

function asText<T extends string>(message: LogMessage<T>): Text {
  return isText(message) ? message : textFrom<T>(message);
}

export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

/** The log of one call: what it writes also goes to that call's entry (for "Show Log Entry"). */
export interface EntryLog {
  debug<T extends string>(message: LogMessage<T>): void;
  /** Returns the line as written (secrets removed). */
  info<T extends string>(message: LogMessage<T>): string;
  warn<T extends string>(message: LogMessage<T>): void;
  error<T extends string>(message: LogMessage<T>, error?: unknown): void;
  lines(): readonly string[];
}

export class SectigoLog implements vscode.Disposable {
  private readonly entries = new Map<string, string[]>();

  constructor(private readonly sink: LogSink & Partial<vscode.Disposable>) {}

  /** A password (or other secret) to scrub from every later line, and from every other sink (known-secrets.ts). */
  addSecret(secret: string): void {
    rememberSecret(secret);
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', message: Text, entry?: string[]): string {
    const safe = renderLogEntry(message, knownSecrets());
    this.sink[level](safe);
    entry?.push(`[${level}] ${safe}`);
    return safe;
  }

  private withError(message: Text, error: unknown): Text {
    return error === undefined ? message : words`${message}\n${describeError(error)}`;
  }

  debug<T extends string>(message: LogMessage<T>): void {
    this.write('debug', asText(message));
  }
  info<T extends string>(message: LogMessage<T>): string {
    return this.write('info', asText(message));
  }
  warn<T extends string>(message: LogMessage<T>): void {
    this.write('warn', asText(message));
  }
  /** An error with its cause chain. */
  error<T extends string>(message: LogMessage<T>, error?: unknown): void {
    this.write('error', this.withError(asText(message), error));
  }

  /** A log for one call; each call has its own, so two calls at once do not mix their entries. */
  forEntry(entryId: string): EntryLog {
    const lines: string[] = [];
    this.entries.set(entryId, lines);
    while (this.entries.size > REMEMBERED_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return {
      debug: (message) => void this.write('debug', asText(message), lines),
      info: (message) => this.write('info', asText(message), lines),
      warn: (message) => void this.write('warn', asText(message), lines),
      error: (message, error) => void this.write('error', this.withError(asText(message), error), lines),
      lines: () => lines,
    };
  }

  entryLines(entryId: string): readonly string[] | undefined {
    return this.entries.get(entryId);
  }

  show(): void {
    this.sink.show(true);
  }

  dispose(): void {
    this.sink.dispose?.();
  }
}

export function createSectigoLog(): SectigoLog {
  return new SectigoLog(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
}
