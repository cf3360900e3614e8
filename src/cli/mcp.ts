// `sectigo-csr mcp`: the assistants' three tools (core/assistant) as a Model Context Protocol server
// over standard input and output, on the official SDK. Bundled apart as dist/cli-mcp.js (esbuild.mjs)
// and loaded only by this verb, so `check` and `inspect` never parse the SDK.
//
// Files: only under the roots. The `--root` folders when given (the person who set the server up
// chose them; the client cannot widen them); else the roots the client gives (roots/list, asked
// again when the client says they changed); else the server's working directory, unless that is
// the top of a file system. Symbolic links are resolved before a path is judged. Nothing is sent
// anywhere: the server reads no credential and makes no network call.
import { modelToolResult, renderModelText } from '../core/model-text';
import { joinText, outside, outsideError, tokenText, words } from '../core/outside-text';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  RootsListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { resolve } from 'node:path';
import { analyseCsrText, summariseCsr } from '../core/csr/index';
import { maxInputLength } from '../core/csr/input';
import { checkCheckArguments, checkExplainArguments, checkInspectArguments } from '../core/assistant/arguments';
import { runCheck, type RunBudget } from '../core/assistant/check-run';
import { explainOutcome, failure, inspectOutcome, isFailure, type ToolOutcome } from '../core/assistant/outcomes';
import { renderData, renderText } from '../core/assistant/render';
import { assistantToolList } from '../core/assistant/tool-specs';
import { AssistantToolNames, type AssistantToolKind } from '../core/assistant/tool-names';
import { ExitCode, type CliCommand } from './io';
import { placeInRoots, readPlaced, realRoots, rootFiles, rootUriToPath, type RootsOrRefusal } from './mcp-files';
import { cliVersion } from './version';

const mcpUsage = words`Usage: sectigo-csr mcp [--root DIR]...
Runs a Model Context Protocol server on standard input and output with three read-only tools:
inspect one request, check the requests under the roots, explain a finding code.
  --root DIR   a folder the tools may read (repeatable). Given, these are the only ones, whatever
               the client's roots say. Without it: the client's roots, else the working directory
               (never the top of a file system).
Nothing is sent anywhere; no credential is read; nothing is replaced or revoked.
Exit status: 0 when the client ends the session, 2 wrong usage.
`;

/** Messages longer than this end the session (the SDK's read buffer): four times the longest text a tool reads, escaped. */
export const MAX_MESSAGE_BYTES = 4 * maxInputLength;
/** How long the client has to answer roots/list. */
const ROOTS_TIMEOUT_MS = 10_000;

const SERVER_INSTRUCTIONS =
  "Sectigo CSR Tools: local analysis of PKCS#10 certificate signing requests, judged by Sectigo's rules. " +
  'sectigo_inspect_csr inspects one request (a file under the roots, or pasted text), sectigo_check_csrs checks many, ' +
  'sectigo_explain_finding explains a finding code. The tools are read-only and local: they send nothing, ' +
  'never return a private key or a credential, and never replace or revoke a certificate.';

const kindOfTool = new Map<string, AssistantToolKind>(
  (Object.entries(AssistantToolNames) as [AssistantToolKind, string][]).map(([kind, name]) => [name, kind]),
);

export interface McpServerOptions {
  /** The --root folders, absolute; empty when none was given. */
  readonly rootOptions: readonly string[];
  /** The working directory: the root when neither the options nor the client give one. */
  readonly cwd: string;
}

/** Which roots apply now: kept until the client says its roots changed. */
class RootsKeeper {
  private current: Promise<RootsOrRefusal> | undefined;

  constructor(
    private readonly server: Server,
    private readonly options: McpServerOptions,
  ) {}

  forget(): void {
    this.current = undefined;
  }

  get(signal: AbortSignal): Promise<RootsOrRefusal> {
    if (this.current === undefined) {
      const found = this.find(signal);
      this.current = found;
      // Only usable roots are kept: a refusal or a failed ask (a timeout, a cancelled call) is asked again next time.
      const drop = (): void => {
        if (this.current === found) this.current = undefined;
      };
      found.then((roots) => ('refused' in roots ? drop() : undefined), drop);
    }
    return this.current;
  }

  private async find(signal: AbortSignal): Promise<RootsOrRefusal> {
    if (this.options.rootOptions.length > 0) return realRoots(this.options.rootOptions, 'option');
    if (this.server.getClientCapabilities()?.roots) {
      let listed: { uri: string }[];
      try {
        listed = (await this.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS, signal })).roots;
      } catch (error) {
        return { refused: words`the client did not give its roots (${outsideError(error)})` };
      }
      const paths = listed.map((root) => rootUriToPath(root.uri)).filter((path) => path !== undefined);
      if (paths.length === 0)
        return {
          refused: words`the client gives no folder on this machine as a root, so no file can be read (pasted text still can)`,
        };
      return realRoots(paths, 'client');
    }
    return realRoots([this.options.cwd], 'working-directory');
  }
}

/** The outcome as the client gets it, through the model sink (core/model-text.ts). */
function toolResult(outcome: ToolOutcome): CallToolResult {
  return { ...modelToolResult(renderText(outcome), renderData(outcome), isFailure(outcome)) };
}

/** The server, not yet connected: the tests connect it to an in-memory transport, runMcp to standard input and output. */
export function createMcpServer(options: McpServerOptions): Server {
  const server = new Server(
    { name: 'sectigo-csr', title: 'Sectigo CSR Tools', version: cliVersion() },
    {
      // logging: a check that stops early says so in the client's log, even when it was cancelled and answers nothing.
      capabilities: { tools: {}, logging: {} },
      instructions: SERVER_INSTRUCTIONS,
    },
  );
  const roots = new RootsKeeper(server, options);
  server.setNotificationHandler(RootsListChangedNotificationSchema, () => roots.forget());

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: assistantToolList().map((spec) => ({
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema as { type: 'object'; [key: string]: unknown },
      annotations: {
        title: spec.title,
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const kind = kindOfTool.get(request.params.name);
    if (kind === undefined)
      throw new McpError(
        ErrorCode.InvalidParams,
        renderModelText(
          words`Unknown tool ${outside(request.params.name)}; the tools are ${joinText([...kindOfTool.keys()].map(tokenText), words`, `)}`,
        ),
      );
    try {
      const outcome = await callTool(kind, request.params.arguments, roots, extra);
      if (outcome.tool === 'check' && 'stopped' in outcome && outcome.stopped !== null)
        await server
          .sendLoggingMessage({
            level: 'info',
            logger: 'sectigo-csr',
            data: renderModelText(
              words`check stopped (${outcome.stopped.limit}) after ${outcome.checked} of ${outcome.found} files`,
            ),
          })
          .catch(() => undefined);
      return toolResult(outcome);
    } catch (error) {
      // A bug must come back as a result the model can read, never as a dead server.
      return toolResult(failure(kind, 'internal-error', words`an unexpected error: ${outsideError(error)}`));
    }
  });
  return server;
}

interface CallExtra {
  readonly signal: AbortSignal;
  readonly _meta?: { progressToken?: string | number };
  sendNotification(notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number };
  }): Promise<void>;
}

async function callTool(
  kind: AssistantToolKind,
  input: unknown,
  roots: RootsKeeper,
  extra: CallExtra,
): Promise<ToolOutcome> {
  switch (kind) {
    case 'explain': {
      const args = checkExplainArguments(input);
      return args.ok ? explainOutcome(args.value.code) : failure(kind, 'bad-arguments', args.problem);
    }
    case 'inspect': {
      const args = checkInspectArguments(input);
      if (!args.ok) return failure(kind, 'bad-arguments', args.problem);
      if (args.value.kind === 'text')
        return inspectOutcome(
          { kind: 'text', name: outside('<text>'), lines: null },
          analyseCsrText(args.value.text, '<text>'),
          summariseCsr,
        );
      if (args.value.kind === 'active-editor')
        return failure(
          kind,
          'nothing-to-inspect',
          words`give path (a request file under the roots) or text (the request itself); there is no active editor here`,
        );
      const path = outside(args.value.path);
      const found = await roots.get(extra.signal);
      if ('refused' in found) return failure(kind, 'refused', words`${path} cannot be read: ${found.refused}`);
      const placed = await placeInRoots(args.value.path, found);
      if ('refused' in placed)
        return failure(
          kind,
          placed.missing ? 'not-found' : 'refused',
          words`${path} cannot be read: ${placed.refused}`,
        );
      const read = await readPlaced(placed.real, maxInputLength);
      const source = { kind: 'file' as const, name: placed.name, lines: args.value.lines };
      if (read.kind === 'refused') {
        const zero = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };
        return inspectOutcome(
          source,
          [{ file: placed.name, index: 0, range: zero, code: read.code, error: read.reason }],
          summariseCsr,
        );
      }
      return inspectOutcome(source, analyseCsrText(read.input, placed.name), summariseCsr);
    }
    case 'check': {
      const args = checkCheckArguments(input);
      if (!args.ok) return failure(kind, 'bad-arguments', args.problem);
      const found = await roots.get(extra.signal);
      if ('refused' in found) return failure(kind, 'refused', words`no file can be checked: ${found.refused}`);
      const budget: RunBudget = {
        deadline: performance.now() + args.value.timeoutSeconds * 1000,
        now: () => performance.now(),
        cancelled: () => extra.signal.aborted,
      };
      const progressToken = extra._meta?.progressToken;
      return runCheck(
        args.value,
        rootFiles(found),
        {
          analyse: (bytes, file) => analyseCsrText(bytes, file),
          summarise: summariseCsr,
          // Between files, the server reads its input: a cancellation arrives while a long check runs.
          yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
        },
        budget,
        progressToken === undefined
          ? undefined
          : (checked, total) =>
              void extra
                .sendNotification({
                  method: 'notifications/progress',
                  params: { progressToken, progress: checked, total },
                })
                .catch(() => undefined),
      );
    }
  }
}

function parseRoots(args: string[], cwd: string): string[] | string {
  const roots: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--root') {
      const value = args[i + 1];
      if (value === undefined || value === '') return '--root needs a folder';
      roots.push(resolve(cwd, value));
      i += 1;
    } else if (arg.startsWith('--root=')) {
      const value = arg.slice('--root='.length);
      if (value === '') return '--root needs a folder';
      roots.push(resolve(cwd, value));
    } else return `unknown argument '${arg}'`;
  }
  return roots;
}

export const runMcp: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(mcpUsage);
    return ExitCode.ok;
  }
  const rootOptions = parseRoots(args, io.cwd);
  if (typeof rootOptions === 'string') {
    io.stderr(words`sectigo-csr mcp: ${outside(rootOptions)}\n\n${mcpUsage}`);
    return ExitCode.usage;
  }
  const server = createMcpServer({ rootOptions, cwd: io.cwd });
  const transport = new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: MAX_MESSAGE_BYTES });
  const closed = new Promise<void>((done) => {
    server.onclose = () => done();
  });
  server.onerror = (error) => io.stderr(words`sectigo-csr mcp: ${outsideError(error)}\n`);
  await server.connect(transport);
  // The client ends the session by closing the server's standard input.
  const ended = (): void => void server.close();
  process.stdin.once('end', ended);
  process.stdin.once('close', ended);
  await closed;
  return ExitCode.ok;
};
