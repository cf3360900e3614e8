// Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool, a devDependency whose Linux build
// ships inside the package and runs offline): the validator whose "Gh" rules say what GitHub code
// scanning requires. Run as its binary, not through npx: the npx wrapper passes arguments through a
// shell, which would split `--rule-kind "Sarif;Gh"` at the semicolon.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The binary of this platform's package (only Linux's is installed here: the others are optional dependencies). */
export function multitoolPath(): string {
  const packageJson = require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`);
  const binary = join(dirname(packageJson), process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  // The package's postinstall makes it executable; npm may be set to skip install scripts.
  if (process.platform !== 'win32' && (statSync(binary).mode & 0o100) === 0) chmodSync(binary, 0o755);
  return binary;
}

// SARIF2006 fetches every URI in the log (helpUri, $schema) over the network: offline it only
// waits for DNS to fail. The test checks the README anchors the help links point at instead.
const offlineConfig = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
`;

export interface Finding {
  ruleId: string;
  /** SARIF's default level for a result without one is warning. */
  level: 'error' | 'warning' | 'note' | 'none';
  text: string;
}

/** Validates one SARIF log with `validate --rule-kind "Sarif;Gh"` at every level; returns what the Multitool found. */
export function validateSarif(log: string): { findings: Finding[]; stdout: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'sarif-multitool-'));
  try {
    const input = join(scratch, 'check.sarif');
    const output = join(scratch, 'validation.sarif');
    const config = join(scratch, 'offline.xml');
    writeFileSync(input, log);
    writeFileSync(config, offlineConfig);
    const run = spawnSync(
      multitoolPath(),
      [
        'validate',
        '--rule-kind',
        'Sarif;Gh',
        '--level',
        'Error;Warning;Note',
        '--config',
        config,
        '--output',
        output,
        input,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        // .NET without ICU (Debian's libicu is not a dependency of this project): validation needs no culture data.
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      },
    );
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`the Multitool exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    const validation = JSON.parse(readFileSync(output, 'utf8')) as {
      runs: {
        results?: {
          ruleId: string;
          level?: Finding['level'];
          message: { id?: string; text?: string; arguments?: string[] };
        }[];
        invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: { message: { text: string } }[] }[];
      }[];
    };
    const [run0] = validation.runs;
    if (!run0 || run0.invocations?.[0]?.executionSuccessful !== true)
      throw new Error(`the Multitool's run did not succeed:\n${run.stdout}`);
    const findings = (run0.results ?? []).map((result) => ({
      ruleId: result.ruleId,
      level: result.level ?? 'warning',
      text: result.message.text ?? `${result.message.id ?? ''} ${(result.message.arguments ?? []).join(' | ')}`,
    }));
    return { findings, stdout: run.stdout };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
