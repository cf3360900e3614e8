// `npm run bench:mcp`: what the assistants' tools cost through `sectigo-csr mcp`, with the MCP
// SDK's own client over stdio, as a client runs them.
//  - start-up: from spawning `node dist/cli.js mcp` until it has answered `initialize`, beside a
//    bare `node -e 0` (spawn to exit) and one `sectigo-csr check one.csr`, interleaved round by
//    round so a busy machine slows all three alike;
//  - one call of each tool on a connected server: explain, inspect of a file and of pasted text,
//    a check of 100 files (one request each), median of the rounds.
// Figures only; nothing here passes or fails on time.
//   --rounds N   start-up rounds (default 15) and call rounds (default 5 × 20)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AssistantToolNames } from '../src/core/assistant/tool-names';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const oneCsr = join(root, 'test', 'fixtures', 'csr', 'rsa-2048.csr');
const at = process.argv.indexOf('--rounds');
const rounds = at === -1 ? 15 : Number(process.argv[at + 1]) || 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${(sorted[0] ?? 0).toFixed(1)}-${(sorted.at(-1) ?? 0).toFixed(1)}`;
}

/** Spawn to the answer of initialize, in milliseconds. */
function mcpStartup(cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, 'mcp'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    let answer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (!answer.includes('\n')) return;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (!answer.includes('"serverInfo"')) reject(new Error(`not an initialize answer: ${answer.slice(0, 200)}`));
      child.stdin.end();
      child.once('exit', () => resolve(ms));
    });
    child.once('error', reject);
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
      })}\n`,
    );
  });
}

function timedProcess(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timedCalls(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    const result = await client.callTool({ name, arguments: args });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
  }
  return times;
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'cli-mcp.js')))
    throw new Error('dist/cli-mcp.js is missing: run `npm run build` first.');
  const workspace = mkdtempSync(join(tmpdir(), 'sectigo-mcp-bench-'));
  try {
    mkdirSync(join(workspace, 'batch'));
    for (let i = 0; i < 100; i += 1) copyFileSync(oneCsr, join(workspace, 'batch', `r${i}.csr`));
    copyFileSync(oneCsr, join(workspace, 'one.csr'));

    const startup = { node: [] as number[], check: [] as number[], mcp: [] as number[] };
    for (let round = 0; round < rounds + 2; round += 1) {
      const node = timedProcess(['-e', '0']);
      const check = timedProcess([cli, 'check', oneCsr]);
      const mcp = await mcpStartup(workspace);
      // The first two rounds warm the file cache.
      if (round < 2) continue;
      startup.node.push(node);
      startup.check.push(check);
      startup.mcp.push(mcp);
    }

    const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp'], cwd: workspace });
    const client = new Client({ name: 'sectigo-csr-bench', version: '1.0.0' });
    await client.connect(transport);
    const pem = readFileSync(oneCsr, 'utf8');
    const calls: [string, string, Record<string, unknown>, number][] = [
      ['explain one code', AssistantToolNames.explain, { code: 'rsa-key-too-small' }, 100],
      ['inspect one file', AssistantToolNames.inspect, { path: 'one.csr' }, 100],
      ['inspect pasted text', AssistantToolNames.inspect, { text: pem }, 100],
      ['check 100 files', AssistantToolNames.check, { glob: 'batch/*.csr' }, 10],
    ];
    const perCall: [string, number[]][] = [];
    for (const [label, name, args, count] of calls) {
      await timedCalls(client, name, args, 3);
      perCall.push([label, await timedCalls(client, name, args, count)]);
    }
    await client.close();

    const out = process.stdout;
    out.write(
      `\nsectigo-csr mcp (Node ${process.version}, ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})\n\n`,
    );
    out.write(`Start-up, median of ${rounds} interleaved rounds (range):\n`);
    const base = median(startup.node);
    for (const [label, values] of [
      ['node -e 0 (spawn to exit)', startup.node],
      ['sectigo-csr check one.csr', startup.check],
      ['sectigo-csr mcp, spawn to initialize answered', startup.mcp],
    ] as const)
      out.write(
        `  ${label.padEnd(48)}${median(values).toFixed(1).padStart(8)} ms  (${spread(values)})  ${(median(values) / base).toFixed(2)}× node\n`,
      );
    out.write('\nOne tool call on a running server, client to answer, median (range):\n');
    for (const [label, values] of perCall)
      out.write(
        `  ${label.padEnd(48)}${median(values).toFixed(2).padStart(8)} ms  (${spread(values)}, ${values.length} calls)\n`,
      );
    const check = perCall.find(([label]) => label === 'check 100 files')?.[1] ?? [];
    out.write(`  ${'  so per file checked'.padEnd(48)}${(median(check) / 100).toFixed(3).padStart(8)} ms\n\n`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:mcp failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
