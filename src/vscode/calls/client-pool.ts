// One HTTP client per account and settings snapshot, reused for every call made with it, so
// keep-alive connections and the one TLS context (see client.ts) help in the editor too. A
// client is replaced when its account's endpoint or the timeout changes, and closed when
// replaced, when its account is removed, and on deactivation. The client itself is in the lazy
// sectigo-client bundle, loaded with the first call by the loader activation hands the pool.
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES, readBoundedFile } from '../../core/bounded-read';
import type { SectigoApi } from '../../core/sectigo/types';
import type { AccountInfo } from '../../core/sectigo/accounts';
import { outsideError, outsideLines, words } from '../../core/outside-text';
import { urlSecrets } from '../../core/sectigo/redact';
import type { LoadModule, SectigoClientModule } from '../shared/lazy-modules';
import type { SectigoLog } from '../shared/log';

interface PooledClient {
  snapshot: string;
  client: SectigoApi;
}

export class ClientPool implements vscode.Disposable {
  private readonly clients = new Map<string, PooledClient>();

  constructor(
    private readonly log: SectigoLog,
    private readonly load: LoadModule<SectigoClientModule>,
  ) {}

  /** Loads the client module (first call only), turning a failure into a logged, readable error. */
  async module(): Promise<SectigoClientModule> {
    try {
      return await this.load();
    } catch (error) {
      this.log.error('The Sectigo client could not be loaded.', error);
      throw error;
    }
  }

  /** The client for this account as it is now; the same one while nothing about its endpoint changed. */
  async clientFor(account: AccountInfo, timeoutSeconds: number): Promise<SectigoApi> {
    const snapshot = JSON.stringify([account.baseUrl, account.caFile, account.proxy, timeoutSeconds]);
    const pooled = this.clients.get(account.id);
    if (pooled?.snapshot === snapshot) return pooled.client;
    // The proxy's user name and password are secrets like the account's: every sink removes them
    // in any encoding a server or proxy might echo them in, not only inside a URL.
    for (const secret of urlSecrets(account.proxy)) this.log.addSecret(secret);
    const module = await this.module();
    const extraCaCertificates: string[] = [];
    if (account.caFile) {
      // A regular file under the input cap: a FIFO, a device or /dev/zero is refused, never read.
      const read = await readBoundedFile(account.caFile, MAX_INPUT_FILE_BYTES);
      if (read.kind === 'refused')
        throw new Error(
          vscode.l10n.t(
            'The CA file of the account {0} ({1}) cannot be used: {2}.',
            account.loginName,
            account.caFile,
            read.reason,
          ),
        );
      extraCaCertificates.push(read.bytes.toString('utf8'));
    }
    const client = module.createSectigoClient({
      baseUrl: account.baseUrl,
      timeoutMs: timeoutSeconds * 1000,
      ...(account.proxy ? { proxy: account.proxy } : {}),
      extraCaCertificates,
      // The client's lines quote URLs and server text: outside text, one line each.
      log: (level, message) => void this.log[level](outsideLines(message)),
    });
    this.clients.set(account.id, { snapshot, client });
    if (pooled) void this.closeQuietly(pooled.client);
    return client;
  }

  /** Closes the clients of accounts that no longer exist. */
  retain(accountIds: readonly string[]): void {
    for (const [id, pooled] of this.clients) {
      if (accountIds.includes(id)) continue;
      this.clients.delete(id);
      void this.closeQuietly(pooled.client);
    }
  }

  private async closeQuietly(client: SectigoApi): Promise<void> {
    await client
      .close()
      .catch((error: unknown) => this.log.warn(words`Closing a Sectigo client failed: ${outsideError(error)}`));
  }

  dispose(): void {
    this.retain([]);
  }
}
