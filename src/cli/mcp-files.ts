// The MCP server's files: the roots it may read under, a path placed inside them (symbolic links
// resolved first, so a link cannot lead out), and the search of a glob's files, bounded in the
// entries it looks at, in time and by cancellation. Reads go through core/bounded-read.ts.
import { opendir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, parse, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { readBoundedFile } from '../core/bounded-read';
import type { CheckFiles, FileRead, RunBudget } from '../core/assistant/check-run';
import { WALK_MAX_ENTRIES } from '../core/assistant/limits';
import { countText, joinText, outside, plainText, words, type Outside, type Text } from '../core/outside-text';

/** Where the roots came from: `--root`, the client's roots/list, or the server's working directory. */
export type RootsOrigin = 'option' | 'client' | 'working-directory';

export interface Roots {
  /** Real paths (symbolic links resolved), in the order given. */
  readonly dirs: readonly string[];
  readonly origin: RootsOrigin;
}

/** A refusal says why in the program's words; the paths in it are outside text. */
export type RootsOrRefusal = Roots | { readonly refused: Text };

/** Folders never searched: version control and installed packages hold no request of the user's. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** Whether `child` is `parent` or lies beneath it (both real paths). */
export function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child);
  if (path === '') return true;
  if (isAbsolute(path)) return false;
  return path.split(sep)[0] !== '..';
}

/** The roots' real paths; a root that is missing or not a folder is dropped, and none left is a refusal. */
export async function realRoots(paths: readonly string[], origin: RootsOrigin): Promise<RootsOrRefusal> {
  const dirs: string[] = [];
  const dropped: Text[] = [];
  for (const path of paths) {
    try {
      const real = await realpath(path);
      if ((await stat(real)).isDirectory()) {
        // The top of a file system is no boundary at all.
        if (parse(real).root === real) dropped.push(words`${outside(path)} (the top of the file system)`);
        else if (!dirs.includes(real)) dirs.push(real);
      } else dropped.push(words`${outside(path)} (not a folder)`);
    } catch {
      dropped.push(words`${outside(path)} (not found)`);
    }
  }
  if (dirs.length > 0) return { dirs, origin };
  const from =
    origin === 'option'
      ? words`the --root options give`
      : origin === 'client'
        ? words`the client's roots give`
        : words`the server's working directory gives`;
  return {
    refused: words`no folder to read: ${from} none that can be used${dropped.length > 0 ? words` (${joinText(dropped, words`, `)})` : words``}`,
  };
}

/** A root URI of the client (file: only) as a path; other schemes are not on this machine's disk. */
export function rootUriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** How a file is named in results: relative to its root, under the root's name when there are several. */
function nameIn(roots: Roots, real: string): Outside {
  const root = roots.dirs.find((dir) => isInside(real, dir)) ?? roots.dirs[0] ?? '';
  const path = relative(root, real).split(sep).join('/');
  return outside(roots.dirs.length > 1 ? `${basename(root)}/${path}` : path);
}

export type Placed =
  { readonly real: string; readonly name: Outside } | { readonly refused: Text; readonly missing?: true };

/**
 * A path the model gave, placed in the roots: relative paths start at the first root; the real
 * path (every symbolic link resolved) must lie inside a root, or the path is refused.
 */
export async function placeInRoots(path: string, roots: Roots): Promise<Placed> {
  const plain = path.startsWith('file:') ? rootUriToPath(path) : path;
  if (plain === undefined) return { refused: words`only file paths and file: URIs are read` };
  const first = roots.dirs[0];
  if (first === undefined) return { refused: words`there is no root to read under` };
  const absolute = isAbsolute(plain) ? plain : resolve(first, plain);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing file outside the roots is refused as outside: whether it exists is not the caller's to learn.
    if (!roots.dirs.some((dir) => isInside(resolve(absolute), dir))) return { refused: outsideMessage(roots) };
    return code === 'ENOENT'
      ? { refused: words`no such file`, missing: true }
      : { refused: words`it cannot be read (${outside(code ?? 'error')})` };
  }
  if (!roots.dirs.some((dir) => isInside(real, dir))) return { refused: outsideMessage(roots) };
  return { real, name: nameIn(roots, real) };
}

function outsideMessage(roots: Roots): Text {
  const from =
    roots.origin === 'option'
      ? words`the --root folders`
      : roots.origin === 'client'
        ? words`the client's roots`
        : words`the server's working directory`;
  return words`it is outside ${from} (symbolic links resolved), which are the only places this server reads`;
}

/** A file's bytes for the analysis, the same bounds as `sectigo-csr inspect`. */
export async function readPlaced(real: string, maxBytes: number): Promise<FileRead> {
  const read = await readBoundedFile(real, maxBytes);
  if (read.kind === 'ok') return { kind: 'ok', input: read.bytes };
  return { kind: 'refused', code: read.tooLarge ? 'input-too-large' : 'unreadable', reason: `the file ${read.reason}` };
}

interface FoundFile {
  readonly path: string;
}

/** The glob's files under the roots, for the check tool. */
export function rootFiles(roots: Roots): CheckFiles<FoundFile> {
  return {
    places: roots.dirs.map(outside),
    find: (glob, limit, budget) => findInRoots(roots, glob, limit, budget),
    name: (file) => nameIn(roots, file.path),
    async read(file, maxBytes) {
      // The search does not follow links to folders, but a link to a file may point anywhere.
      const placed = await placeInRoots(file.path, roots);
      // The reason becomes an input problem's sentence (a plain string in the analysis's results).
      if ('refused' in placed)
        return {
          kind: 'refused',
          code: 'unreadable',
          reason: `the file ${plainText(placed.refused)}`,
          ...(placed.missing ? {} : { outside: true as const }),
        };
      return readPlaced(placed.real, maxBytes);
    },
  };
}

/**
 * Files matching `glob` (relative to each root, / as separator), walked depth first in name order,
 * at most `limit`; folders that are symbolic links are not entered. Stops at WALK_MAX_ENTRIES
 * entries looked at, at the deadline, or when cancelled, saying which.
 */
async function findInRoots(
  roots: Roots,
  glob: string,
  limit: number,
  budget: RunBudget,
): Promise<{ files: FoundFile[]; cut: Text | null }> {
  const matches = picomatch(glob, { dot: false });
  // The part of the glob before its first wildcard: no need to walk anything else.
  const base = picomatch.scan(glob).base;
  const entersDotFolders = /(^|\/)\.[^/]/.test(glob);
  const files: FoundFile[] = [];
  let entries = 0;
  for (const root of roots.dirs) {
    const start = base === '' ? root : resolve(root, base);
    if (!isInside(start, root)) continue;
    const pending: string[] = [start];
    while (pending.length > 0 && files.length < limit) {
      if (budget.cancelled()) return { files, cut: words`the caller cancelled` };
      if (budget.now() >= budget.deadline) return { files, cut: words`the time limit was reached while searching` };
      const dir = pending.pop() as string;
      const names: { name: string; dir: boolean; link: boolean }[] = [];
      try {
        const handle = await opendir(dir);
        for await (const entry of handle) {
          entries += 1;
          if (entries > WALK_MAX_ENTRIES)
            return {
              files,
              cut: words`${countText(WALK_MAX_ENTRIES)} directory entries were looked at; narrow the glob`,
            };
          names.push({ name: entry.name, dir: entry.isDirectory(), link: entry.isSymbolicLink() });
        }
      } catch {
        continue; // A folder that vanished or cannot be listed holds nothing to check.
      }
      names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subfolders: string[] = [];
      for (const entry of names) {
        const path = resolve(dir, entry.name);
        if (entry.dir) {
          if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
          if (entry.name.startsWith('.') && !entersDotFolders) continue;
          subfolders.push(path);
          continue;
        }
        const relativePath = relative(root, path).split(sep).join('/');
        if (!matches(relativePath)) continue;
        if (entry.link) {
          // A link is a file to check only if it leads to one; where it leads is checked when it is read.
          try {
            if (!(await stat(path)).isFile()) continue;
          } catch {
            continue;
          }
        }
        files.push({ path });
        if (files.length >= limit) break;
      }
      // Depth first, in name order: the stack takes the subfolders reversed.
      pending.push(...subfolders.reverse());
    }
    if (files.length >= limit) break;
  }
  return { files, cut: null };
}
