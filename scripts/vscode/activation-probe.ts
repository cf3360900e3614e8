// Loaded as the "tests file" of an extension-host run by bench/vscode-activation.bench.ts: it
// activates one extension and reports how long activate() took, including loading its bundle,
// which is what a user waits for. One extension host activates an extension only once, so the
// benchmark opens a fresh window per sample.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export interface ActivationSample {
  readonly state: 'done';
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly extensionId: string;
  readonly activationMs: number;
  /** True when something activated the extension before the probe did: the sample is void. */
  readonly alreadyActive: boolean;
  readonly error?: string;
}

export async function run(): Promise<void> {
  const reportFile = process.env.SECTIGO_VSCODE_TEST_REPORT;
  const extensionId = process.env.SECTIGO_BENCH_EXTENSION_ID;
  if (reportFile === undefined || extensionId === undefined) {
    throw new Error('SECTIGO_VSCODE_TEST_REPORT and SECTIGO_BENCH_EXTENSION_ID must be set');
  }
  const sample = (activationMs: number, alreadyActive: boolean, error?: string): ActivationSample => ({
    state: 'done',
    passed: error === undefined ? 1 : 0,
    failed: error === undefined ? 0 : 1,
    pending: 0,
    extensionId,
    activationMs,
    alreadyActive,
    ...(error === undefined ? {} : { error }),
  });
  const extension = vscode.extensions.getExtension(extensionId);
  if (extension === undefined) {
    writeFileSync(reportFile, JSON.stringify(sample(0, false, `extension ${extensionId} is not loaded`)));
    return;
  }
  const alreadyActive = extension.isActive;
  try {
    const started = performance.now();
    await extension.activate();
    writeFileSync(reportFile, JSON.stringify(sample(performance.now() - started, alreadyActive)));
  } catch (error) {
    writeFileSync(
      reportFile,
      JSON.stringify(sample(0, alreadyActive, error instanceof Error ? error.message : String(error))),
    );
  }
}
