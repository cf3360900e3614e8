// Every command id, view id, status bar item id, context key, setting id and stored-state key in
// one place, so a rename is one edit. package.json must use the same strings (a test checks).

export const LANGUAGE_ID = 'pkcs10';

export const Commands = {
  replaceSmime: 'sectigo.replaceSmime',
  revokeSsl: 'sectigo.revokeSsl',
  revokeFromCertificate: 'sectigo.revokeFromCertificate',
  revokeFromList: 'sectigo.revokeFromList',
  inspectCsr: 'sectigo.inspectCsr',
  inspectSelection: 'sectigo.inspectSelection',
  inspectClipboard: 'sectigo.inspectClipboard',
  setCredentials: 'sectigo.setCredentials',
  clearCredentials: 'sectigo.clearCredentials',
  selectAccount: 'sectigo.selectAccount',
  showLog: 'sectigo.showLog',
  // Orders tree (kept out of the palette with "when": "false" where they need a node).
  refreshOrders: 'sectigo.orders.refresh',
  clearOrders: 'sectigo.orders.clear',
  copyOrderNumber: 'sectigo.orders.copyOrderNumber',
  openOrderCsr: 'sectigo.orders.openCsr',
  showOrderLogEntry: 'sectigo.orders.showLogEntry',
  removeOrder: 'sectigo.orders.remove',
  revokeOrder: 'sectigo.orders.revoke',
  testRevokeOrder: 'sectigo.orders.testRevoke',
  revokeOrderForReal: 'sectigo.orders.revokeForReal',
  /** Multi-select: the selected orders as one bulk revocation. */
  revokeSelectedOrders: 'sectigo.orders.revokeSelected',
  replaceOrderAgain: 'sectigo.orders.replaceAgain',
  /** An unfinished bulk run of the Orders view: resume it (after its confirmation), or discard the rest. */
  resumeBulkRun: 'sectigo.orders.resumeRun',
  discardBulkRun: 'sectigo.orders.discardRun',
  /** A bulk run's report: what was sent and what Sectigo answered (a read-only document). */
  showRunReport: 'sectigo.orders.showRun',
  // A new key and CSR: from a refused request (quick fix, CodeLens) or from scratch (palette).
  createCompliantCsr: 'sectigo.createCompliantCsr',
  newCsr: 'sectigo.newCsr',
  /** Every request file of the workspace: which RSA keys share a prime (issue 32). */
  findSharedPrimes: 'sectigo.findSharedPrimes',
} as const;

/**
 * The commands that need no call to Sectigo (the analysis, new keys, the orders view's refresh, the log).
 * Every other command calls Sectigo or handles what calls need (credentials, orders):
 * the browser build answers those with an explanation, and package.json hides them there.
 */
export const LOCAL_COMMANDS: readonly string[] = [
  Commands.inspectCsr,
  Commands.inspectSelection,
  Commands.inspectClipboard,
  Commands.createCompliantCsr,
  Commands.newCsr,
  Commands.findSharedPrimes,
  Commands.refreshOrders,
  Commands.showLog,
];

export const Views = {
  container: 'sectigo',
  orders: 'sectigo.orders',
} as const;

/** The status bar item's id (the user hides or moves it by this id). */
export const STATUS_BAR_ACCOUNT_ID = 'sectigo.account';

export const ContextKeys = {
  hasCredentials: 'sectigo.hasCredentials',
  hasOrders: 'sectigo.hasOrders',
  /** Set by the browser build (src/vscode/browser/extension.ts): no call is made from there. */
  callsUnavailable: 'sectigo.callsUnavailable',
} as const;

/** Setting keys under the `sectigo` section. */
export const Settings = {
  section: 'sectigo',
  baseUrl: 'baseUrl',
  timeoutSeconds: 'timeoutSeconds',
  proxy: 'proxy',
  caFile: 'caFile',
  defaultSignatureHash: 'defaultSignatureHash',
  defaultLanguageName: 'defaultLanguageName',
  defaultVerificationTemplateId: 'defaultVerificationTemplateId',
  defaultRequestTemplateId: 'defaultRequestTemplateId',
  defaultCollectionTemplateId: 'defaultCollectionTemplateId',
  defaultResponseFormat: 'defaultResponseFormat',
  codeLensEnabled: 'codeLens.enabled',
} as const;

/** A setting's full id (`sectigo.codeLens.enabled`), as affectsConfiguration and package.json name it. */
export function settingId(key: (typeof Settings)[Exclude<keyof typeof Settings, 'section'>]): string {
  return `${Settings.section}.${key}`;
}

/** Keys of what the extension keeps in globalState (shared by every window) and SecretStorage. */
export const StateKeys = {
  /** globalState: the accounts (login names and endpoints; no password) and which one is active. */
  accounts: 'sectigo.accounts',
  /** SecretStorage: one account's login name and password, by account id. */
  accountSecretPrefix: 'sectigo.account.',
  /** globalState: the bulk test revocation whose real run is still offered. */
  passedBulkTest: 'sectigo.bulk.lastPassedTest',
  /** globalState: new requests (URI) and the order each was made for. */
  ordersOfNewRequests: 'sectigo.ordersOfNewRequests',
  /** A folder in globalStorageUri: the bulk runs (manifest and journal of each). */
  bulkRunsFolder: 'bulk-revocations',
} as const;
