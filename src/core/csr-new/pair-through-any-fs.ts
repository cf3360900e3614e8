// Writes a new request and its key through any file system that can say whether a name is
// taken, write a file, rename without replacing and delete (VS Code's workspace.fs on a virtual
// or remote folder, where Node's file system is not at hand): both files or neither, never over
// an existing file. Each file is first written under a fresh temporary name beside its target,
// then renamed to it by a rename that refuses to replace; on any failure what was made is removed.
// Node's own file system has a stronger writer (pair-on-node-fs.ts: O_EXCL, fsync, hard links, 0600).

export class PairWriteError extends Error {
  constructor(
    message: string,
    /** True when a target already exists (or appeared meanwhile): the user should choose another name. */
    readonly existing: boolean,
  ) {
    super(message);
    this.name = 'PairWriteError';
  }
}

/** What the writer needs of a file system; `T` names a file (a path, a URI). */
export interface PairFileSystem<T> {
  /** Whether anything exists under this name. */
  exists(target: T): Promise<boolean>;
  /** Whether the folder the name lies in exists. */
  folderExists(target: T): Promise<boolean>;
  /** Writes a file under a name nobody uses. */
  write(target: T, bytes: Uint8Array): Promise<void>;
  /** Gives `from` the name `to`; must fail rather than replace an existing `to`. */
  renameWithoutReplacing(from: T, to: T): Promise<void>;
  remove(target: T): Promise<void>;
  /** A name in the same folder as `target`. */
  sibling(target: T, name: string): T;
  /** The last part of the name, for temporary names and messages. */
  baseName(target: T): string;
  /** How a name is shown in a message. */
  show(target: T): string;
  same(a: T, b: T): boolean;
}

export interface Pair<T> {
  csr: T;
  key: T;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Refuses (PairWriteError) when either target exists, both are one name, or a folder is missing. */
export async function checkPairFree<T>(fs: PairFileSystem<T>, pair: Pair<T>): Promise<void> {
  if (fs.same(pair.csr, pair.key))
    throw new PairWriteError('the request and the key cannot be written to the same file', true);
  for (const target of [pair.csr, pair.key]) {
    const present = await fs.exists(target).catch((error: unknown) => {
      throw new PairWriteError(`${fs.show(target)}: ${describe(error)}`, false);
    });
    if (present)
      throw new PairWriteError(
        `${fs.show(target)} already exists; it is never overwritten (choose another name or remove it)`,
        true,
      );
    if (!(await fs.folderExists(target).catch(() => false)))
      throw new PairWriteError(`the folder of ${fs.show(target)} does not exist`, false);
  }
}

function randomSuffix(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** Writes both files, or neither; throws PairWriteError saying why. */
export async function writePairThrough<T>(
  fs: PairFileSystem<T>,
  pair: Pair<T>,
  csrText: string,
  keyText: string,
): Promise<void> {
  await checkPairFree(fs, pair);
  const made: T[] = [];
  let existing = false;
  try {
    const temporaries: T[] = [];
    for (const [target, text] of [
      [pair.csr, csrText],
      [pair.key, keyText],
    ] as const) {
      const temporary = fs.sibling(target, `.${fs.baseName(target)}.${randomSuffix()}.tmp`);
      if (await fs.exists(temporary)) throw new Error(`the temporary name ${fs.show(temporary)} is taken`);
      await fs.write(temporary, new TextEncoder().encode(text));
      made.push(temporary);
      temporaries.push(temporary);
    }
    for (const [index, target] of [pair.csr, pair.key].entries()) {
      const temporary = temporaries[index] as T;
      try {
        await fs.renameWithoutReplacing(temporary, target);
      } catch (error) {
        // The rename refused: most likely the name was taken meanwhile (it was free a moment ago).
        existing = await fs.exists(target).catch(() => false);
        throw error;
      }
      made.splice(made.indexOf(temporary), 1, target);
    }
  } catch (error) {
    // Removing only names this call made: a target that appeared meanwhile is someone else's.
    for (const name of made.reverse()) await fs.remove(name).catch(() => undefined);
    throw new PairWriteError(
      existing
        ? 'nothing was written: a file appeared under one of the names while it was being written; nothing was overwritten'
        : `nothing was written: ${describe(error)}`,
      existing,
    );
  }
}
