// The one log of the calls: a LogOutputChannel named "Sectigo" (its level is set from the
// Output view, like every VS Code log). Every line passes through redactOwnText with every
// password the extension knows, so a secret cannot reach the log even by mistake (server text
// in a line has already passed redactServerText in the client).
import * as vscode from 'vscode';
import { escapeInvisible, oneLine } from '../../core/one-line';
import { redactOwnText } from '../../core/sectigo/redact';

export const LOG_CHANNEL_NAME = 'Sectigo';
/** How many call entries are kept in memory for "Show Log Entry" (the history keeps its own line). */
const REMEMBERED_ENTRIES = 100;

/** Unrolls an error with its `cause` chain and AggregateError members, one line each. */
export function describeError(error: unknown, depth = 0): string {
  if (depth > 8) return '…';
  if (!(error instanceof Error)) return String(error);
  const lines = [`${oneLine(error.name)}: ${oneLine(error.message)}`];
  if (error instanceof AggregateError) {
    for (const inner of error.errors) lines.push(`  - ${describeError(inner, depth + 1).replace(/\n/g, '\n    ')}`);
  }
  if (error.cause !== undefined) lines.push(`  caused by ${describeError(error.cause, depth + 1)}`);
  return lines.join('\n');
}

export interface LogSink {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

/** The log of one call: what it writes also goes to that call's entry (for "Show Log Entry"). */
export interface EntryLog {
  debug(message: string): void;
  /** Returns the line as written (secrets removed). */
  info(message: string): string;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  lines(): readonly string[];
}

export class SectigoLog implements vscode.Disposable {
  private readonly secrets = new Set<string>();
  private readonly entries = new Map<string, string[]>();

  constructor(private readonly sink: LogSink & Partial<vscode.Disposable>) {}

  /** A password (or other secret) to scrub from every later line. */
  addSecret(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', message: string, entry?: string[]): string {
    // One line is one line: a value from outside is already put on one line where it enters (server
    // text in the client, error messages above); here nothing invisible or a carriage return passes.
    const safe = escapeInvisible(redactOwnText(message, [...this.secrets]));
    this.sink[level](safe);
    entry?.push(`[${level}] ${safe}`);
    return safe;
  }

  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): string {
    return this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  /** An error with its cause chain. */
  error(message: string, error?: unknown): void {
    this.write('error', error === undefined ? message : `${message}\n${describeError(error)}`);
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
      debug: (message) => void this.write('debug', message, lines),
      info: (message) => this.write('info', message, lines),
      warn: (message) => void this.write('warn', message, lines),
      error: (message, error) =>
        void this.write('error', error === undefined ? message : `${message}\n${describeError(error)}`, lines),
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
