// Runs sectigo-csr in-process against a fake Sectigo server and keeps everything it printed.
import { runCli, type CliRun, type CliRunOptions } from '../cli/run-cli';
import type { FakeSectigo } from './server';

export function cliRunner(fake: () => FakeSectigo, cwd: string, baseEnv: Record<string, string>) {
  const transcript: string[] = [];
  async function run(
    args: string[],
    env: Record<string, string | undefined> = {},
    stdin = '',
    terminal: Pick<CliRunOptions, 'stderrIsTerminal'> = {},
  ): Promise<CliRun> {
    // The fake's URL and CA are added unless the test gives its own.
    const connection = [
      ...(args.includes('--base-url') ? [] : ['--base-url', fake().url]),
      ...(args.includes('--ca-file') ? [] : ['--ca-file', fake().caFile]),
    ];
    const result = await runCli([...args, ...connection], { ...terminal, cwd, env: { ...baseEnv, ...env }, stdin });
    transcript.push(result.stdout, result.stderr);
    return result;
  }
  return { run, transcript };
}
