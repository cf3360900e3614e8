// What the machine-readable reports of `check` (SARIF for GitHub code scanning, GitLab's code
// quality report) share: where a file is relative to the source root (the git work tree's top
// folder, else the working directory), the text of a request block for a snippet, and a
// fingerprint that names one finding of one request whatever file or line it is on.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDerBytes } from '../core/der-or-text';
import { findGitWorkTree, type GitWorkTree } from '../core/git-work-tree';
import type { SourceRange } from '../core/csr/types';
import { strictDecoder } from '../core/csr/input';

/** Where relative paths are resolved: the git work tree when the check runs inside one. */
export interface SourceRoot {
  /** Absolute folder. */
  folder: string;
  /** Its file URI, ending in a slash (SARIF's originalUriBaseIds wants a folder URI). */
  uri: string;
  git: GitWorkTree | undefined;
}

export function sourceRootFor(cwd: string): SourceRoot {
  const git = findGitWorkTree(cwd);
  const folder = git?.root ?? resolve(cwd);
  const uri = pathToFileURL(folder).href;
  return { folder, uri: uri.endsWith('/') ? uri : `${uri}/`, git };
}

/** A file named on the command line, relative to the source root ('a/b.csr', forward slashes), or null when outside it. */
export function rootRelativePath(root: SourceRoot, cwd: string, file: string): string | null {
  const absolute = resolve(cwd, file);
  const path = relative(root.folder, absolute);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return null;
  return path.split(sep).join('/');
}

/** A relative path as a URI reference: each segment percent-encoded, slashes kept. */
export function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function absoluteUri(cwd: string, file: string): string {
  return pathToFileURL(resolve(cwd, file)).href;
}

/**
 * An input as text with its lines, for snippets: decoded as the analysis decodes it (a byte order
 * mark names UTF-16), or null for DER and other binary input, which has no lines to show.
 */
export class SourceText {
  private lineStarts: number[] | undefined;

  private constructor(readonly text: string) {}

  static of(bytes: Uint8Array): SourceText | null {
    if (isDerBytes(bytes)) return null;
    const encoding =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? 'utf-16le'
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? 'utf-16be'
          : 'utf-8';
    let text: string;
    try {
      text = strictDecoder(encoding).decode(bytes);
    } catch {
      return null;
    }
    return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? null : new SourceText(text);
  }

  private starts(): number[] {
    if (this.lineStarts === undefined) {
      const starts = [0];
      for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) starts.push(at + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  get lineCount(): number {
    return this.starts().length;
  }

  /** Line `line` (from 0) without its line end. */
  line(line: number): string {
    const starts = this.starts();
    const start = starts[line];
    if (start === undefined) return '';
    const next = starts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end > start && this.text[end - 1] === '\r' ? end - 1 : end);
  }

  /** The text of a range (zero-based, end exclusive), lines joined with \n. */
  slice(range: SourceRange): string {
    const parts: string[] = [];
    for (let line = range.startLine; line <= range.endLine; line += 1) {
      const text = this.line(line);
      const from = line === range.startLine ? range.startCharacter : 0;
      const to = line === range.endLine ? range.endCharacter : text.length;
      parts.push(text.slice(from, to));
    }
    return parts.join('\n');
  }

  /** Whole lines `first` to `last` (from 0), joined with \n. */
  lines(first: number, last: number): string {
    const parts: string[] = [];
    for (let line = first; line <= last; line += 1) parts.push(this.line(line));
    return parts.join('\n');
  }
}

/**
 * The fingerprint of a finding: its code, the request (its canonical PEM, so the same request gives
 * the same value in any file, on any line, with any line ends) and its place among the findings of
 * that code in the request (a request can have two subject fields too long). Stable across runs and
 * versions as long as the request and the code are; 32 hex digits of SHA-256.
 */
export function findingFingerprint(code: string, requestPem: string, ordinal: number, extra = ''): string {
  return createHash('sha256').update(`${code}\0${ordinal}\0${extra}\0${requestPem}`).digest('hex').slice(0, 32);
}

/** The ordinal of each finding among those of its code, in the order given. */
export function ordinals(codes: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return codes.map((code) => {
    const next = seen.get(code) ?? 0;
    seen.set(code, next + 1);
    return next;
  });
}
