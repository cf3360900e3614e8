// Reading the settings. sectigo.baseUrl, caFile and proxy are the defaults offered when an
// account is added (and what accounts stored before accounts had endpoints are pinned to, once);
// a call never reads them: it goes to its account's endpoint (credentials.ts). They are read
// from user settings only: inspect() and take globalValue or defaultValue, never a workspace
// or folder value. package.json marks them "scope": "machine", so in a remote window (Remote-SSH,
// WSL, containers, code-server) they come from the remote side's settings; VS Code already drops
// a workspace's value of a machine setting before inspect() sees it.
import * as vscode from 'vscode';
import { Settings, settingId } from './ids';
import {
  DEFAULT_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  type LanguageName,
  type SignatureHash,
} from '../../core/sectigo/types';
import { DEFAULT_RESPONSE_FORMAT } from '../../core/sectigo/request';
import { responseFormatFor } from '../../core/sectigo/validate';
import { LANGUAGE_NAMES, SIGNATURE_HASHES } from '../../core/sectigo/validate';

import { PRODUCTION_BASE_URL as DEFAULT_BASE_URL } from '../../core/sectigo/call-plan';

export interface ConnectionSettings {
  baseUrl: string;
  timeoutSeconds: number;
  proxy: string;
  caFile: string;
  /** Setting names whose workspace value was ignored (logged when an account is added). */
  ignoredWorkspaceSettings: string[];
}

export interface ReplaceDefaults {
  signatureHash: SignatureHash | undefined;
  languageName: LanguageName | undefined;
  verificationTemplateId: number | undefined;
  requestTemplateId: number | undefined;
  collectionTemplateId: number | undefined;
  responseFormat: 0 | 1 | 2;
}

function userValue<T>(key: string, fallback: T): { value: T; workspaceIgnored: boolean } {
  const info = vscode.workspace.getConfiguration(Settings.section).inspect<T>(key);
  const workspaceIgnored =
    info !== undefined &&
    (info.workspaceValue !== undefined ||
      info.workspaceFolderValue !== undefined ||
      info.workspaceLanguageValue !== undefined ||
      info.workspaceFolderLanguageValue !== undefined);
  return { value: info?.globalValue ?? info?.defaultValue ?? fallback, workspaceIgnored };
}

export function readConnectionSettings(): ConnectionSettings {
  const ignored: string[] = [];
  const read = <T>(key: string, fallback: T): T => {
    const { value, workspaceIgnored } = userValue(key, fallback);
    if (workspaceIgnored) ignored.push(`${Settings.section}.${key}`);
    return value;
  };
  const baseUrl = read<string>(Settings.baseUrl, DEFAULT_BASE_URL).trim() || DEFAULT_BASE_URL;
  const timeout = Number(read<number>(Settings.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS));
  return {
    baseUrl,
    timeoutSeconds:
      Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, MAX_TIMEOUT_SECONDS) : DEFAULT_TIMEOUT_SECONDS,
    proxy: read<string>(Settings.proxy, '').trim(),
    caFile: read<string>(Settings.caFile, '').trim(),
    ignoredWorkspaceSettings: ignored,
  };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Defaults for a replace: ordinary settings (a workspace may choose its own templates). Bad values are dropped. */
export function readReplaceDefaults(): ReplaceDefaults {
  const config = vscode.workspace.getConfiguration(Settings.section);
  const hash = config.get<string>(Settings.defaultSignatureHash, '');
  const language = config.get<string>(Settings.defaultLanguageName, '');
  const format = config.get<number>(Settings.defaultResponseFormat, DEFAULT_RESPONSE_FORMAT);
  return {
    signatureHash: (SIGNATURE_HASHES as readonly string[]).includes(hash) ? (hash as SignatureHash) : undefined,
    languageName: Object.hasOwn(LANGUAGE_NAMES, language) ? (language as LanguageName) : undefined,
    verificationTemplateId: positiveInteger(config.get(Settings.defaultVerificationTemplateId)),
    requestTemplateId: positiveInteger(config.get(Settings.defaultRequestTemplateId)),
    collectionTemplateId: positiveInteger(config.get(Settings.defaultCollectionTemplateId)),
    responseFormat: responseFormatFor('AutoReplaceSMIME', format),
  };
}

/** sectigo.codeLens.enabled, for both wings' lenses (CSR files and certificate files). */
export function isCodeLensEnabled(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.codeLensEnabled, true);
}

/** Calls `listener` when sectigo.codeLens.enabled changes. */
export function onDidChangeCodeLensSetting(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(settingId(Settings.codeLensEnabled))) listener();
  });
}
