// What the activation bench, the activation profile and the lens timeline share to open their
// windows alike: the probe compiled for the extension host, and the user settings of a window
// that must not open the CSR file (and activate) before the probe does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot, startCodeServer, type RunningCodeServer } from './code-server';

/** No restored editors and no hot exit: each window starts with nothing open. */
export const PROBE_WINDOW_SETTINGS = { 'files.hotExit': 'off', 'workbench.editor.restoreViewState': false } as const;

/** Compiles scripts/vscode/activation-probe.ts into `scratch`/probe; returns the bundle's path. */
export async function buildProbe(scratch: string): Promise<string> {
  const probe = join(scratch, 'probe', 'activation-probe.js');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'scripts', 'vscode', 'activation-probe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return probe;
}

/** The name of the benchmark's CSR file in each subject's workspace. */
export const PROBE_CSR_NAME = 'many.csr';

/**
 * A code-server of its own for one subject (its user data and workspace apart: the builds share
 * an extension id, so their stored state must not mix), its workspace holding the CSR file.
 */
export async function startProbeServer(workspace: string, csrText: string): Promise<RunningCodeServer> {
  mkdirSync(workspace);
  writeFileSync(join(workspace, PROBE_CSR_NAME), csrText);
  // No restored editors: a window must not open the CSR file (and activate) before the probe.
  return startCodeServer({ workspace, userSettings: PROBE_WINDOW_SETTINGS });
}
