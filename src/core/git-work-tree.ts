// Which git work tree a folder is in, and its commit, branch and remote, read from the files under
// .git rather than by running git: a `git rev-parse` would cost a process start (tens of
// milliseconds) on every `check --format sarif`, and git may not be installed where CI runs the
// check. What is read: the `.git` folder or file (a linked work tree's `gitdir:` pointer and its
// `commondir`), HEAD, the branch's loose ref or its line in packed-refs, and the remote's URL in
// config. Every read is capped and only of regular files (bounded-read.ts); anything unexpected
// gives less information, never an error. A remote URL keeps no user name or password.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readBoundedFileSync } from './bounded-read';
import { MIN_FRAGMENT, urlSecrets } from './sectigo/redact';

export interface GitWorkTree {
  /** The work tree's top folder (absolute). */
  root: string;
  /** The commit checked out, 40 (or 64) hex digits; absent on a branch with no commit yet. */
  revisionId?: string;
  /** The branch checked out; absent when HEAD is detached (as in a CI checkout of a pull request). */
  branch?: string;
  /** The remote's URL as an absolute URI without user information, or the work tree's file URI when there is no remote. */
  repositoryUri: string;
}

/** Small files (HEAD, a ref, the .git pointer): a few dozen bytes each; anything larger is not git's. */
const MAX_SMALL_FILE_BYTES = 4096;
/** A repository's config is a few hundred bytes; a megabyte is already not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** packed-refs grows with tags (tens of megabytes in the largest monorepos); it is scanned, not held, up to this. */
const MAX_PACKED_REFS_BYTES = 256 * 1024 * 1024;
/** Folders climbed from the start folder to find .git. */
const MAX_DEPTH = 128;

const objectId = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function readSmall(path: string, maxBytes = MAX_SMALL_FILE_BYTES): string | undefined {
  const read = readBoundedFileSync(path, maxBytes);
  return read.kind === 'ok' ? read.bytes.toString('utf8') : undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The work tree's top folder and its git folders, found from `start` upwards. */
function locate(start: string): { root: string; gitDir: string; commonDir: string } | undefined {
  let folder = resolve(start);
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const dotGit = join(folder, '.git');
    let gitDir: string | undefined;
    if (isDirectory(dotGit)) gitDir = dotGit;
    else if (isFile(dotGit)) {
      // A linked work tree or a submodule: "gitdir: <path>", relative to the folder of the file.
      const pointer = /^gitdir: *(.+?)\s*$/m.exec(readSmall(dotGit) ?? '')?.[1];
      if (pointer !== undefined) gitDir = resolve(folder, pointer);
    }
    if (gitDir !== undefined && isFile(join(gitDir, 'HEAD'))) {
      const common = readSmall(join(gitDir, 'commondir'))?.trim();
      const commonDir = common ? resolve(gitDir, common) : gitDir;
      return { root: folder, gitDir, commonDir };
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

/** The line of packed-refs that names `ref`, read in pieces so a large file is never held whole. */
function packedRef(commonDir: string, ref: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(join(commonDir, 'packed-refs'), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const wanted = ` ${ref}`;
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let carry = '';
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      total += bytesRead;
      const text = carry + chunk.toString('utf8', 0, bytesRead);
      const lines = text.split('\n');
      carry = bytesRead === 0 ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (clean.endsWith(wanted) && clean.length === 40 + wanted.length) return clean.slice(0, 40);
        if (clean.endsWith(wanted) && clean.length === 64 + wanted.length) return clean.slice(0, 64);
      }
      if (bytesRead === 0 || total > MAX_PACKED_REFS_BYTES) return undefined;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The commit a ref names, following at most a few symbolic refs. */
function resolveRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  let current = ref;
  for (let hop = 0; hop < 5; hop += 1) {
    // A ref name is refs/…, with no way out of the git folder.
    if (!/^refs\/[^\0\\]+$/.test(current) || current.split('/').some((part) => part === '..' || part === '.'))
      return undefined;
    const loose = (readSmall(join(gitDir, current)) ?? readSmall(join(commonDir, current)))?.trim();
    if (loose !== undefined) {
      if (objectId.test(loose)) return loose;
      const next = /^ref: *(\S+)$/.exec(loose)?.[1];
      if (next === undefined) return undefined;
      current = next;
      continue;
    }
    return packedRef(commonDir, current);
  }
  return undefined;
}

/** The sections of a git config file: `remote "origin"` → its keys (lower case) and values. */
function parseConfig(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      const name = `${(header[1] as string).toLowerCase()}${header[2] === undefined ? '' : ` "${header[2]}"`}`;
      section = sections.get(name) ?? new Map<string, string>();
      sections.set(name, section);
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (entry && section) {
      let value = (entry[2] ?? 'true').replace(/\s+[#;].*$/, '');
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      const key = (entry[1] as string).toLowerCase();
      if (!section.has(key)) section.set(key, value);
    }
  }
  return sections;
}

/**
 * A remote's URL as an absolute URI with no user name, password, query or fragment:
 * `https://user:token@host/o/r.git` → `https://host/o/r.git`, `git@host:o/r.git` →
 * `ssh://host/o/r.git`, a local path → its file URI. Undefined when it is none of these.
 */
export function publicRemoteUri(url: string, workTreeRoot: string): string | undefined {
  const uri = withoutUserInfo(url, workTreeRoot);
  if (uri === undefined) return undefined;
  // Dropped by construction above; checked again with the project's own reading of a URL's secrets
  // (those long enough not to be part of any host name, as redaction counts fragments), raw or decoded.
  const plain = decodeURIComponentSafe(uri);
  const leaked = urlSecrets(url).some(
    (secret) => secret.length >= MIN_FRAGMENT && (uri.includes(secret) || plain.includes(secret)),
  );
  return leaked ? undefined : uri;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withoutUserInfo(url: string, workTreeRoot: string): string | undefined {
  const text = url.trim();
  if (text === '' || /[\s\0]/.test(text)) return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return undefined;
    }
    if (parsed.host === '' && parsed.protocol !== 'file:') return undefined;
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  }
  // scp-like syntax, [user@]host:path (a colon before any slash), as git reads it.
  const scp = /^(?:[^@/]*@)?([^@/:]+):(?!\/\/)(.+)$/.exec(text);
  if (scp && !isAbsolute(text)) {
    try {
      const parsed = new URL(`ssh://${scp[1] as string}/${(scp[2] as string).replace(/^\/+/, '')}`);
      return parsed.href;
    } catch {
      return undefined;
    }
  }
  return pathToFileURL(resolve(workTreeRoot, text)).href;
}

/** The git work tree `start` is in, or undefined when it is in none (or its .git cannot be read). */
export function findGitWorkTree(start: string): GitWorkTree | undefined {
  const found = locate(start);
  if (found === undefined) return undefined;
  const head = readSmall(join(found.gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  const symbolic = /^ref: *(\S+)$/.exec(head)?.[1];
  const revisionId = objectId.test(head)
    ? head
    : symbolic === undefined
      ? undefined
      : resolveRef(found.gitDir, found.commonDir, symbolic);
  const branch = symbolic?.startsWith('refs/heads/') ? symbolic.slice('refs/heads/'.length) : undefined;
  const config = parseConfig(readSmall(join(found.commonDir, 'config'), MAX_CONFIG_BYTES) ?? '');
  const remoteName =
    (branch === undefined ? undefined : config.get(`branch "${branch}"`)?.get('remote')) ??
    (config.has('remote "origin"') ? 'origin' : undefined) ??
    [...config.keys()].find((name) => name.startsWith('remote "'))?.slice('remote "'.length, -1);
  const remoteUrl = remoteName === undefined ? undefined : config.get(`remote "${remoteName}"`)?.get('url');
  const repositoryUri =
    (remoteUrl === undefined ? undefined : publicRemoteUri(remoteUrl, found.root)) ?? pathToFileURL(found.root).href;
  return {
    root: found.root,
    repositoryUri,
    ...(revisionId === undefined ? {} : { revisionId }),
    ...(branch === undefined ? {} : { branch }),
  };
}
