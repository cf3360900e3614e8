// `sectigo-csr mcp` tried with its real client: the MCP SDK's own Client over StdioClientTransport,
// spawning the built dist/cli.js as an MCP client (VS Code, Claude Desktop) does. The tools are
// listed and called, and then attacked: a huge text, binary, a private key, paths and links out of
// the roots, a named pipe, many files, a cancelled check, wrong arguments, an unknown tool, a
// message over the read bound. Nothing the server prints may hold the private key or a password
// from its environment.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { AssistantToolNames } from '../../src/core/assistant/tool-names';
import { CHECK_MAX_FILES } from '../../src/core/assistant/limits';
import { maxInputLength } from '../../src/core/csr/input';
import { secretForms } from '../secret-forms';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'csr');
const PASSWORD = 'Mcp-env-Passw0rd-w34 ✓';

interface Session {
  readonly client: Client;
  /** Everything the server wrote to standard error. */
  stderr(): string;
  /** Every JSON-RPC message the server wrote, as text. */
  readonly printed: string[];
  close(): Promise<void>;
}

let scratch: string;
let workspace: string;
let outside: string;
const sessions: Session[] = [];

async function connect(
  options: { cwd?: string; args?: string[]; roots?: () => string[]; onLog?: (text: string) => void } = {},
): Promise<Session> {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', ...(options.args ?? [])],
    cwd: options.cwd ?? workspace,
    // As a client would start it, plus the kind of secret a person's environment holds.
    env: { PATH: process.env.PATH ?? '', HOME: scratch, SECTIGO_PASSWORD: PASSWORD, SECTIGO_CSR_PASSWORD: PASSWORD },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const printed: string[] = [];
  const roots = options.roots;
  const client = new Client(
    { name: 'sectigo-csr-test', version: '1.0.0' },
    roots === undefined ? {} : { capabilities: { roots: { listChanged: true } } },
  );
  if (roots !== undefined)
    client.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: roots().map((path) => ({ uri: pathToFileURL(path).href, name: path })),
    }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    printed.push(JSON.stringify(notification));
    options.onLog?.(String(notification.params.data));
  });
  await client.connect(transport);
  // Everything the server answers is kept, to be searched for secrets.
  const onmessage = transport.onmessage;
  transport.onmessage = (message) => {
    printed.push(JSON.stringify(message));
    onmessage?.(message);
  };
  const session: Session = {
    client,
    stderr: () => stderr,
    printed,
    close: () => client.close(),
  };
  sessions.push(session);
  return session;
}

function texts(result: CallToolResult): string[] {
  return result.content.map((part) => (part.type === 'text' ? part.text : ''));
}

async function call(session: Session, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult;
}

const PRIVATE_KEY = readFileSync(join(fixtures, 'private-key.pem'), 'utf8');
/** Every 24-character run of the key's Base64, and the whole body: none may appear in any output. */
function keyFragments(): string[] {
  const body = PRIVATE_KEY.split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .join('');
  const fragments = [body];
  for (let i = 0; i + 24 <= body.length; i += 24) fragments.push(body.slice(i, i + 24));
  return fragments;
}

function assertNoSecret(session: Session): void {
  const all = session.printed.join('\n') + session.stderr();
  for (const fragment of keyFragments()) assert.ok(!all.includes(fragment), `the private key leaked: ${fragment}`);
  for (const form of secretForms(PASSWORD)) assert.ok(!all.includes(form), `the password leaked as ${form}`);
}

before(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'sectigo-mcp-')));
  workspace = join(scratch, 'workspace');
  outside = join(scratch, 'outside');
  for (const dir of ['csr', 'keys', 'odd', 'many', 'slow', 'links'].map((name) => join(workspace, name)))
    mkdirSync(dir, { recursive: true });
  mkdirSync(outside);
  for (const name of ['rsa-1024.csr', 'rsa-2048.csr', 'ec-P-256.csr', 'rsa-2048-sha1.csr'])
    copyFileSync(join(fixtures, name), join(workspace, 'csr', name));
  writeFileSync(join(workspace, 'csr', 'multi.csr'), readFileSync(join(fixtures, 'multi-block.txt')));
  copyFileSync(join(fixtures, 'private-key.pem'), join(workspace, 'keys', 'private-key.pem'));
  // A private key saved under a request's name: the check reads it and must not return it.
  copyFileSync(join(fixtures, 'private-key.pem'), join(workspace, 'keys', 'stolen.csr'));
  writeFileSync(
    join(workspace, 'odd', 'binary.csr'),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
  );
  writeFileSync(join(workspace, 'odd', 'huge.csr'), Buffer.alloc(maxInputLength + 10, 0x41));
  assert.equal(spawnSync('mkfifo', [join(workspace, 'odd', 'pipe.csr')]).status, 0, 'mkfifo');
  // Outside the workspace, and links to it from inside.
  copyFileSync(join(fixtures, 'rsa-2048.csr'), join(outside, 'secret.csr'));
  symlinkSync(join(outside, 'secret.csr'), join(workspace, 'links', 'to-outside.csr'));
  symlinkSync(outside, join(workspace, 'links', 'outside-folder'));
  const good = readFileSync(join(fixtures, 'rsa-2048.csr'));
  for (let i = 0; i < CHECK_MAX_FILES + 100; i += 1)
    writeFileSync(join(workspace, 'many', `request-${String(i).padStart(4, '0')}.csr`), good);
  // Files of many requests each, so that a check of them takes seconds and can be cancelled midway.
  const many = Buffer.concat(Array.from({ length: 40 }, () => good));
  for (let i = 0; i < 400; i += 1)
    writeFileSync(join(workspace, 'slow', `batch-${String(i).padStart(3, '0')}.csr`), many);
});

after(async () => {
  for (const session of sessions) await session.close().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});

describe('sectigo-csr mcp with the SDK client', () => {
  test('lists the three tools, read-only, with their input schemas', async () => {
    const session = await connect();
    const { tools } = await session.client.listTools();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      [AssistantToolNames.inspect, AssistantToolNames.check, AssistantToolNames.explain],
    );
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.equal(tool.annotations?.destructiveHint, false, tool.name);
      assert.equal(tool.annotations?.openWorldHint, false, tool.name);
      assert.equal(tool.inputSchema.type, 'object');
      assert.match(tool.description ?? '', /never replaces or revokes/);
    }
    assert.equal(session.client.getServerVersion()?.name, 'sectigo-csr');
  });

  test('inspect a file under the working directory: the facts of inspect --json, the refusal, the fix, the link', async () => {
    const session = await connect();
    const result = await call(session, AssistantToolNames.inspect, { path: 'csr/rsa-1024.csr' });
    assert.equal(result.isError, false);
    const [text, json] = texts(result);
    assert.match(text ?? '', /Sectigo will refuse it \(-13\)/);
    assert.match(text ?? '', /rsa-key-too-small/);
    assert.match(text ?? '', /Create a compliant key and CSR…/);
    assert.match(text ?? '', /#finding-rsa-key-too-small/);
    assert.match(text ?? '', /nothing was sent anywhere/);
    const data = result.structuredContent as { requests: Record<string, unknown>[] };
    assert.deepEqual(JSON.parse(json ?? ''), data, 'the JSON text is the structured content');
    const inspectJson = JSON.parse(
      spawnSync(process.execPath, [cli, 'inspect', '--json', 'csr/rsa-1024.csr'], { cwd: workspace, encoding: 'utf8' })
        .stdout,
    ) as Record<string, unknown>[];
    const request = data.requests[0] as Record<string, unknown>;
    // Every field of inspect --json, with the same value (findings add their link).
    for (const [field, value] of Object.entries(inspectJson[0] ?? {})) {
      if (field === 'findings') continue;
      assert.deepEqual(request[field], value, field);
    }
    const findings = request.findings as { code: string; sectigoErrorCode: number; helpUri: string }[];
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.sectigoErrorCode]),
      [['rsa-key-too-small', -13]],
    );
    assert.equal(request.status, 'refused');
    assert.match(findings[0]?.helpUri ?? '', /#finding-rsa-key-too-small$/);
  });

  test('inspect lines of a file of several requests keeps the requests in those lines', async () => {
    const session = await connect();
    const whole = (await call(session, AssistantToolNames.inspect, { path: 'csr/multi.csr' })).structuredContent as {
      total: number;
      requests: { lines: { start: number; end: number } }[];
    };
    assert.ok(whole.total >= 2, `several requests: ${whole.total}`);
    const second = whole.requests[1]?.lines;
    assert.ok(second);
    const part = (
      await call(session, AssistantToolNames.inspect, {
        path: 'csr/multi.csr',
        startLine: second.start,
        endLine: second.start,
      })
    ).structuredContent as { inRange: number; requests: { lines: { start: number } }[] };
    assert.equal(part.inRange, 1);
    assert.equal(part.requests[0]?.lines.start, second.start);
  });

  test('inspect pasted text, and text that is binary, empty-looking or a private key', async () => {
    const session = await connect();
    const pasted = await call(session, AssistantToolNames.inspect, {
      text: readFileSync(join(fixtures, 'ec-P-256.csr'), 'utf8'),
    });
    assert.equal(pasted.isError, false);
    assert.match(texts(pasted)[0] ?? '', /EC P-256/);
    const binary = await call(session, AssistantToolNames.inspect, { text: '\u0000\u0001\u00ff\uffff garbage \u0000' });
    assert.equal(binary.isError, false, 'an answer, not a failure: the input is not a request');
    assert.match(texts(binary)[0] ?? '', /not a certificate request/);
    const key = await call(session, AssistantToolNames.inspect, { text: PRIVATE_KEY });
    assert.match(texts(key)[0] ?? '', /not-a-csr-private-key/);
    const keyFile = await call(session, AssistantToolNames.inspect, { path: 'keys/private-key.pem' });
    assert.match(texts(keyFile)[0] ?? '', /not-a-csr-private-key/);
    assertNoSecret(session);
  });

  test('a huge text is refused by its length, and the server goes on answering', async () => {
    const session = await connect();
    const huge = await call(session, AssistantToolNames.inspect, { text: 'A'.repeat(maxInputLength + 1) });
    assert.equal(huge.isError, true);
    assert.match(texts(huge)[0] ?? '', /over the limit of 4,194,304/);
    const file = await call(session, AssistantToolNames.inspect, { path: 'odd/huge.csr' });
    assert.match(texts(file)[0] ?? '', /input-too-large/);
    const after = await call(session, AssistantToolNames.explain, { code: 'csr-too-long' });
    assert.equal(after.isError, false);
  });

  test('a message over the read bound ends the session with a reason, without growing without bound', async () => {
    const session = await connect();
    const closed = new Promise<void>((resolve) => (session.client.onclose = resolve));
    // 70 MiB of one JSON-RPC message that never ends: the server stops reading at its bound.
    const transport = session.client.transport as StdioClientTransport;
    void transport
      .send({
        jsonrpc: '2.0',
        id: 99,
        method: 'tools/call',
        params: { name: 'x', arguments: { text: 'B'.repeat(70 * 1024 * 1024) } },
      })
      .catch(() => undefined);
    await closed;
    assert.match(session.stderr(), /exceeded maximum size/);
  });

  test('paths out of the roots are refused: absolute, climbing, and through symbolic links', async () => {
    const session = await connect();
    for (const path of [
      join(outside, 'secret.csr'),
      '../outside/secret.csr',
      'links/to-outside.csr',
      'links/outside-folder/secret.csr',
      pathToFileURL(join(outside, 'secret.csr')).href,
      '/etc/passwd',
      '../outside/missing.csr',
    ]) {
      const result = await call(session, AssistantToolNames.inspect, { path });
      assert.equal(result.isError, true, path);
      assert.match(texts(result)[0] ?? '', /outside the server's working directory/, path);
      assert.doesNotMatch(texts(result).join('\n'), /RSA 2048/, `${path}: nothing of the file is told`);
    }
    const missing = await call(session, AssistantToolNames.inspect, { path: 'csr/missing.csr' });
    assert.match(texts(missing)[0] ?? '', /no such file/);
  });

  test('check under the roots: findings per file, problems named, links and pipes not followed, clean files counted', async () => {
    const session = await connect();
    const result = await call(session, AssistantToolNames.check, { glob: '{csr,keys,odd,links}/**/*.csr' });
    assert.equal(result.isError, false);
    const data = result.structuredContent as {
      checked: number;
      counts: Record<string, number>;
      files: { file: string; requests: { status: string; code?: string; error?: string }[] }[];
      cleanFiles: string[];
    };
    const byFile = new Map(data.files.map((file) => [file.file, file.requests]));
    assert.equal(byFile.get('csr/rsa-1024.csr')?.[0]?.status, 'refused');
    assert.equal(byFile.get('keys/stolen.csr')?.[0]?.code, 'not-a-csr-private-key');
    assert.equal(byFile.get('odd/huge.csr')?.[0]?.code, 'input-too-large');
    assert.match(byFile.get('odd/pipe.csr')?.[0]?.error ?? '', /named pipe/);
    assert.match(byFile.get('links/to-outside.csr')?.[0]?.error ?? '', /outside/);
    assert.ok(!data.files.some((file) => file.file.includes('outside-folder')), 'a link to a folder is not entered');
    assert.ok(data.cleanFiles.includes('csr/rsa-2048.csr'));
    assertNoSecret(session);
  });

  test('many files: at most maxFiles are read, and the result says more matched', async () => {
    const session = await connect();
    const bounded = (await call(session, AssistantToolNames.check, { glob: 'many/*.csr', maxFiles: 50 }))
      .structuredContent as {
      checked: number;
      moreThanLimit: boolean;
      cleanFileCount: number;
    };
    assert.equal(bounded.checked, 50);
    assert.equal(bounded.moreThanLimit, true);
    const most = (await call(session, AssistantToolNames.check, { glob: 'many/*.csr', maxFiles: CHECK_MAX_FILES }))
      .structuredContent as { checked: number; moreThanLimit: boolean };
    assert.equal(most.checked, CHECK_MAX_FILES);
    assert.equal(most.moreThanLimit, true);
    const tooMany = await call(session, AssistantToolNames.check, {
      glob: 'many/*.csr',
      maxFiles: CHECK_MAX_FILES + 1,
    });
    assert.equal(tooMany.isError, true);
    assert.match(texts(tooMany)[0] ?? '', /maxFiles must be from 1 to 500/);
  });

  test('a cancelled check stops between files and the server answers the next call', { timeout: 60_000 }, async () => {
    let logged: (text: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (logged = resolve));
    const session = await connect({ onLog: (text) => logged(text) });
    const controller = new AbortController();
    await assert.rejects(
      session.client.callTool(
        { name: AssistantToolNames.check, arguments: { glob: 'slow/*.csr', maxFiles: 400 } },
        undefined,
        {
          signal: controller.signal,
          // The first progress notification says the run has started: cancel it then.
          onprogress: () => controller.abort(new Error('the person pressed Stop')),
        },
      ),
      /pressed Stop/,
    );
    const next = await call(session, AssistantToolNames.explain, { code: 'rsa-key-too-small' });
    assert.equal(next.isError, false);
    const line = await stopped;
    const match = /check stopped \(the caller cancelled\) after (\d+) of (\d+) files/.exec(line);
    assert.ok(match, line);
    assert.ok(Number(match[1]) < Number(match[2]), `stopped early: ${line}`);
  });

  test('wrong arguments get an error result the model can act on; an unknown tool a protocol error', async () => {
    const session = await connect();
    const cases: [string, unknown, RegExp][] = [
      [AssistantToolNames.inspect, { path: 'a.csr', text: 'x' }, /either path .* or text/],
      [
        AssistantToolNames.inspect,
        { file: 'a.csr' },
        /unknown argument "file"; the arguments are path, text, startLine, endLine/,
      ],
      [AssistantToolNames.inspect, { path: 42 }, /path must be a string/],
      [AssistantToolNames.inspect, {}, /give path .* or text/],
      [AssistantToolNames.inspect, { path: 'a.csr', startLine: 9, endLine: 2 }, /endLine is before startLine/],
      [AssistantToolNames.check, { glob: '/etc/**' }, /relative/],
      [AssistantToolNames.check, { glob: '../**/*.csr' }, /climb/],
      [AssistantToolNames.check, { timeoutSeconds: 3600 }, /timeoutSeconds must be from 1 to 60/],
      [AssistantToolNames.explain, {}, /code is missing/],
      [AssistantToolNames.explain, { code: 'rsa-key-too-smal' }, /did you mean rsa-key-too-small/],
      [AssistantToolNames.explain, { code: '-99' }, /no finding of the analysis predicts Sectigo error -99/],
    ];
    for (const [name, args, expected] of cases) {
      const result = (await session.client.callTool({
        name,
        arguments: args as Record<string, unknown>,
      })) as CallToolResult;
      assert.equal(result.isError, true, JSON.stringify(args));
      assert.match(texts(result)[0] ?? '', expected, JSON.stringify(args));
    }
    await assert.rejects(session.client.callTool({ name: 'sectigo_revoke', arguments: {} }), /Unknown tool/);
    // Still serving.
    assert.equal((await call(session, AssistantToolNames.explain, { code: '13' })).isError, false);
  });

  test('explain a finding code, an input problem code and a Sectigo error code', async () => {
    const session = await connect();
    const finding = await call(session, AssistantToolNames.explain, { code: 'rsa-key-too-small' });
    assert.match(texts(finding)[0] ?? '', /Sectigo will answer -13/);
    assert.match(texts(finding)[0] ?? '', /Create a compliant key and CSR…/);
    assert.equal((finding.structuredContent as { sectigoErrorCode: number }).sectigoErrorCode, -13);
    const input = await call(session, AssistantToolNames.explain, { code: 'not-a-csr-private-key' });
    assert.match(texts(input)[0] ?? '', /never paste it/);
    const sectigo = (await call(session, AssistantToolNames.explain, { code: '-4' })).structuredContent as {
      codes: { code: string }[];
    };
    assert.deepEqual(
      sectigo.codes.map((entry) => entry.code),
      ['csr-too-long'],
    );
  });

  test("the client's roots are the places read, asked again when they change", async () => {
    let roots = [join(workspace, 'csr')];
    const session = await connect({ cwd: scratch, roots: () => roots });
    const inside = await call(session, AssistantToolNames.inspect, { path: 'rsa-2048.csr' });
    assert.equal(inside.isError, false);
    const refused = await call(session, AssistantToolNames.inspect, { path: join(workspace, 'keys', 'stolen.csr') });
    assert.match(texts(refused)[0] ?? '', /outside the client's roots/);
    roots = [join(workspace, 'keys')];
    await session.client.sendRootsListChanged();
    // The notification and the next call travel in order on one pipe.
    const now = await call(session, AssistantToolNames.inspect, { path: 'stolen.csr' });
    assert.match(texts(now)[0] ?? '', /not-a-csr-private-key/);
    roots = [];
    await session.client.sendRootsListChanged();
    const none = await call(session, AssistantToolNames.check, {});
    assert.match(texts(none)[0] ?? '', /gives no folder on this machine/);
    assertNoSecret(session);
  });

  test('--root wins over the client, and the top of the file system is never a root', async () => {
    const session = await connect({ args: ['--root', 'csr'], roots: () => [workspace] });
    const outsideRoot = await call(session, AssistantToolNames.inspect, {
      path: join(workspace, 'keys', 'stolen.csr'),
    });
    assert.match(texts(outsideRoot)[0] ?? '', /outside the --root folders/);
    assert.equal((await call(session, AssistantToolNames.inspect, { path: 'rsa-1024.csr' })).isError, false);
    const top = await connect({ cwd: '/' });
    const refused = await call(top, AssistantToolNames.check, {});
    assert.match(texts(refused)[0] ?? '', /top of the file system/);
    // Pasted text needs no root.
    assert.equal(
      (await call(top, AssistantToolNames.inspect, { text: readFileSync(join(fixtures, 'rsa-2048.csr'), 'utf8') }))
        .isError,
      false,
    );
  });

  test('dist/cli.js holds none of the MCP SDK; mcp --help and a usage error', () => {
    const help = spawnSync(process.execPath, [cli, 'mcp', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--root DIR/);
    const dist = readFileSync(cli, 'utf8');
    assert.doesNotMatch(dist, /modelcontextprotocol|zod/, 'dist/cli.js holds none of the MCP SDK');
    const wrong = spawnSync(process.execPath, [cli, 'mcp', '--port', '80'], { encoding: 'utf8', input: '' });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /unknown argument '--port'/);
  });
});
