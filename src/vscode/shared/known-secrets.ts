// The secrets the extension knows, in one registry: every account password read from or stored
// into the secret storage (calls/credentials.ts reports each one; extension.ts hands it here
// through the log's addSecret). Every sink of the extension reads it (the log, notifications and
// dialogs, quick picks and input boxes, tree rows, CodeLens and the status bar, Markdown, the
// Problems panel, the assistants' tool results), and removes each secret from every outside value
// in every view a decoder can read (core/sectigo/redact.ts) before it shows it. So a password a
// server echoes cannot reach a notification even where a route forgot to redact before.
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
