// The secrets the extension knows, in one registry: every password read from or stored into the
// secret storage, and the user name and password of an account's proxy. It is filled where
// credentials are read or stored (calls/credentials.ts) and read by every sink of the extension
// (the log, notifications and dialogs, quick picks, labels, Markdown, Problems, the documents it
// shows, the assistants' tools), each of which removes them from every outside value in every
// encoding (core/sectigo/redact.ts) before it shows it. So a password a server echoes cannot reach
// a notification even where a route forgot to redact before.
//
// One registry for the window, not one per bundle: each lazily loaded bundle carries its own copy
// of this module, so the secrets live on the global object under a registered symbol, as a Text's
// parts do (core/outside-text.ts). No VS Code here: the registry is plain data.

const KEY: unique symbol = Symbol.for('sectigo-csr-tools/known-secrets');

/** The most secrets kept: the oldest goes first (a password changed many times in one window). */
export const MAX_KNOWN_SECRETS = 64;

type Holder = { [KEY]?: Set<string> };

function registry(): Set<string> {
  const holder = globalThis as Holder;
  let secrets = holder[KEY];
  if (secrets === undefined) {
    secrets = new Set<string>();
    Object.defineProperty(holder, KEY, { value: secrets, enumerable: false });
  }
  return secrets;
}

/** A secret to remove from everything shown from now on (an empty string is none). */
export function rememberSecret(secret: string): void {
  if (secret.length === 0) return;
  const secrets = registry();
  // Seen again: it becomes the newest, so the cut below drops the one unused longest.
  secrets.delete(secret);
  secrets.add(secret);
  while (secrets.size > MAX_KNOWN_SECRETS) {
    const oldest = secrets.values().next().value;
    if (oldest === undefined) break;
    secrets.delete(oldest);
  }
}

/** Every secret the extension knows now. */
export function knownSecrets(): readonly string[] {
  return [...registry()];
}
