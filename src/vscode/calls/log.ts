// The one log of the calls: a LogOutputChannel named "Sectigo" (its level is set from the
// Output view, like every VS Code log). Every line passes through redactText with every
// password the extension knows, so a secret cannot reach the log even by mistake.
import * as vscode from 'vscode';
import { redactText } from '../../core/sectigo/redact';

export const LOG_CHANNEL_NAME = 'Sectigo';
/** How many call entries are kept in memory for "Show Log Entry" (the history keeps its own line). */
const REMEMBERED_ENTRIES = 100;

/** Unrolls an error with its `cause` chain and AggregateError members, one line each. */
export function describeError(error: unknown, depth = 0): string {
  if (depth > 8) return '…';
  if (!(error instanceof Error)) return String(error);
  const lines = [`${error.name}: ${error.message}`];
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

export class SectigoLog implements vscode.Disposable {
  private readonly secrets = new Set<string>();
  private readonly entries = new Map<string, string[]>();
  private currentEntry: string[] | undefined;

  constructor(private readonly sink: LogSink & Partial<vscode.Disposable>) {}

  /** A password (or other secret) to scrub from every later line. */
  addSecret(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }

  private clean(message: string): string {
    return redactText(message, [...this.secrets]);
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', message: string): string {
    const safe = this.clean(message);
    this.sink[level](safe);
    this.currentEntry?.push(`[${level}] ${safe}`);
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

  /** Collects the lines written while `body` runs under an entry id, for "Show Log Entry". */
  async withEntry<T>(entryId: string, body: () => Promise<T>): Promise<T> {
    const lines: string[] = [];
    this.currentEntry = lines;
    this.entries.set(entryId, lines);
    while (this.entries.size > REMEMBERED_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    try {
      return await body();
    } finally {
      if (this.currentEntry === lines) this.currentEntry = undefined;
    }
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
