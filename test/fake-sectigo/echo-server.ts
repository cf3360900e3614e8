// A hostile server for tests: it echoes the password it received back in one
// chosen encoding, the way a misconfigured proxy, a WAF page or a debug endpoint
// would, either as an API answer's errorMessage (printed whole) or inside a web
// page (printed as a body excerpt). The mode is the first path segment:
//   /<encoding>-answer/  or  /<encoding>-page/  (encodings: see ECHO_ENCODINGS; 'all' for every one at once)
//   /terminal-escapes/: an errorMessage full of terminal control sequences
//   /utf16le-answer-body/, /utf16be-answer-body/: the whole answer (echo included) in UTF-16, without and with a BOM
//   /long-answer/: an API error whose message is 70 KB
//   /order-echo/, /order-part/, /order-upper/: success whose newOrderNumber is the password, most of it, or it upper-cased
//   /program-<n>/: whatever the test's program n answers, given the password and the request (EchoServer.program)
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodings } from './leaks';

/** Ways the whole password is echoed (beyond the per-fragment encodings of leaks.ts). */
function echoForms(password: string, body: string): Record<string, string> {
  const forms: Record<string, string> = {};
  for (const [name, encoded] of encodings(password)) forms[name.replace(/[^a-z0-9]+/gi, '_')] = encoded;
  const bytes = Buffer.from(password, 'utf8');
  for (const offset of [0, 1, 2])
    forms[`base64_request_${offset}`] = Buffer.concat([Buffer.alloc(offset, 0x41), bytes]).toString('base64');
  forms.base64_whole_body = Buffer.from(body).toString('base64');
  forms.whole_body = body;
  // Split over the excerpt limit: 290 characters of padding first.
  forms.split_at_300 = `${'.'.repeat(290)}${password}`;
  // Seven-character pieces with other text between them.
  const characters = Array.from(password);
  forms.pieces = characters.map((char, index) => (index > 0 && index % 7 === 0 ? ` / ${char}` : char)).join('');
  forms.html_of_json = JSON.stringify(password).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  forms.percent_twice = encodeURIComponent(encodeURIComponent(password));
  return forms;
}

export const ECHO_ENCODINGS = Object.keys(echoForms('x', 'x'));

/** What a test's program answers: the body (and status and Content-Type, 200 text/plain unless said). */
export interface ProgrammedAnswer {
  status?: number;
  contentType?: string;
  body: string | Buffer;
}

export type EchoProgram = (password: string, request: { path: string; body: string }) => ProgrammedAnswer;

export interface EchoServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Registers a program; returns the base URL (origin and path) whose calls it answers. */
  program(answer: EchoProgram): string;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const programs: EchoProgram[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const password = new URLSearchParams(body).get('loginPassword') ?? '';
      const [, mode = ''] = (req.url ?? '').split('/');
      const programmed = /^program-(\d+)$/.exec(mode);
      if (programmed) {
        const program = programs[Number(programmed[1])];
        if (!program) {
          res.writeHead(404).end();
          return;
        }
        const answer = program(password, { path: req.url ?? '', body });
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/plain' });
        res.end(answer.body);
        return;
      }
      if (mode === 'terminal-escapes') {
        // Sets the title, erases the line and prints a fake success in green, in C0 and C1 forms, then reverses the text.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`-16\n\u001b]0;pwned\u0007\u001b[2K\r\u001b[32mOrder 1 replaced\u001b[0m \u009b2K \u202eesrever\n`);
        return;
      }
      if (mode === 'long-answer') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`-20\n${'The Certificate has already been revoked! '.repeat(1700)}\n`);
        return;
      }
      const utf16 = /^utf16(le|be)-answer-body$/.exec(mode);
      if (utf16) {
        const answer = Buffer.from(`-16\nLogin refused: ${password}\n`, 'utf16le');
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(utf16[1] === 'le' ? answer : Buffer.concat([Buffer.from([0xfe, 0xff]), answer.swap16()]));
        return;
      }
      const order = {
        'order-echo': password,
        'order-part': password.slice(1, -1),
        'order-upper': password.toUpperCase(),
      }[mode];
      if (order !== undefined) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`0\n${order}\n`);
        return;
      }
      const match = /^(.*)-(answer|page)$/.exec(mode);
      const forms = echoForms(password, body);
      const echoed =
        match?.[1] === 'all' ? Object.values(forms).join(' | ') : match ? forms[match[1] ?? ''] : undefined;
      if (!match || echoed === undefined) {
        res.writeHead(404).end();
        return;
      }
      const text =
        match[2] === 'answer' ? `-16\nLogin refused: ${echoed}\n` : `<html><body>Request: ${echoed}</body></html>`;
      res.writeHead(match[2] === 'answer' ? 200 : 502, {
        'content-type': match[2] === 'answer' ? 'text/plain' : 'text/html',
      });
      res.end(text);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    program: (answer) => {
      programs.push(answer);
      return `${origin}/program-${programs.length - 1}/`;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
