// Runs sectigo-csr in-process against a fake Sectigo server and keeps everything it printed.
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import type { FakeSectigo } from './server';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliRunner(fake: () => FakeSectigo, cwd: string, baseEnv: Record<string, string>) {
  const transcript: string[] = [];
  async function run(args: string[], env: Record<string, string | undefined> = {}, stdin = ''): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      readStdin: async () => Buffer.from(stdin),
      env: { ...baseEnv, ...env },
      cwd,
    };
    // The fake's URL and CA are added unless the test gives its own.
    const connection = [
      ...(args.includes('--base-url') ? [] : ['--base-url', fake().url]),
      ...(args.includes('--ca-file') ? [] : ['--ca-file', fake().caFile]),
    ];
    const code = await main([...args, ...connection], io);
    transcript.push(stdout, stderr);
    return { code, stdout, stderr };
  }
  return { run, transcript };
}
