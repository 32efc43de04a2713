// A scripted stand-in for the Anthropic Messages API, for driving the real Claude Code CLI offline
// (test/real-client/). It listens on 127.0.0.1 on a free port, answers `POST /v1/messages` with
// Server-Sent Events (the streaming format) or plain JSON, answers `count_tokens`, and keeps every
// request body: they are the evidence of what reached the model.
//
// A script decides each reply from the request; the usual one is a list of replies by step, the
// number of assistant turns already in `messages`: step 0 is the first reply of a session.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Block = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown> };

export interface Reply {
  content: Block[];
  /** Default: `tool_use` when a block calls a tool, else `end_turn`. */
  stop_reason?: 'end_turn' | 'tool_use' | 'max_tokens';
}

export interface MessagesRequest {
  model?: string;
  stream?: boolean;
  system?: string | { type: string; text: string }[];
  messages: { role: 'user' | 'assistant'; content: string | ContentPart[] }[];
  tools?: { name: string }[];
  [key: string]: unknown;
}

export type ContentPart = { type: string; text?: string; content?: string | { type: string; text?: string }[]; is_error?: boolean; tool_use_id?: string; name?: string; input?: unknown; id?: string };

export interface LoggedRequest {
  method: string;
  path: string;
  body: MessagesRequest;
}

export type Script = (req: MessagesRequest, step: number) => Reply;

/** Call a tool. */
export function tool(name: string, input: Record<string, unknown>, text?: string): Reply {
  return { content: [...(text ? [{ type: 'text' as const, text }] : []), { type: 'tool_use', name, input }] };
}

/** Run a shell command with Claude Code's Bash tool. */
export function bash(command: string, description = 'Run a command'): Reply {
  return tool('Bash', { command, description });
}

/** End the turn with a text answer. */
export function end(text = 'Done.'): Reply {
  return { content: [{ type: 'text', text }], stop_reason: 'end_turn' };
}

/** The number of assistant turns already in the conversation: 0 for a session's first reply. */
export function stepOf(req: MessagesRequest): number {
  return (req.messages ?? []).filter((m) => m.role === 'assistant').length;
}

/**
 * Replies by step; past the last one, the session ends. A request that offers no tools (Claude
 * Code's own side requests, such as a title) gets a short text.
 */
export function steps(...replies: Reply[]): Script {
  return (req, step) => (req.tools?.length ? (replies[step] ?? end()) : end('ok'));
}

/** Everything the model was sent, as text: system prompt, messages, tool results. */
export function requestText(req: MessagesRequest): string {
  const parts: string[] = [];
  const flat = (c: unknown): void => {
    if (typeof c === 'string') parts.push(c);
    else if (Array.isArray(c)) c.forEach(flat);
    else if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      if (o.content !== undefined) flat(o.content);
      if (o.input !== undefined) parts.push(JSON.stringify(o.input));
    }
  };
  flat(req.system);
  for (const m of req.messages ?? []) flat(m.content);
  return parts.join('\n');
}

/** The text of the first user message: where Claude Code puts CLAUDE.md, rules and the skills listing. */
export function firstUserText(req: MessagesRequest): string {
  const first = (req.messages ?? []).find((m) => m.role === 'user');
  return first ? requestText({ messages: [first] }) : '';
}

/** The tool results of a request, newest last. */
export function toolResults(req: MessagesRequest): { text: string; isError: boolean; toolUseId: string }[] {
  const out: { text: string; isError: boolean; toolUseId: string }[] = [];
  for (const m of req.messages ?? []) {
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    for (const part of m.content) {
      if (part.type !== 'tool_result') continue;
      out.push({ text: requestText({ messages: [{ role: 'user', content: [part] }] }), isError: part.is_error === true, toolUseId: part.tool_use_id ?? '' });
    }
  }
  return out;
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}_mock${Date.now().toString(36)}${(ids++).toString(36).padStart(6, '0')}`;

function message(req: MessagesRequest, reply: Reply) {
  const content = reply.content.map((b) => (b.type === 'tool_use' ? { type: 'tool_use', id: nextId('toolu'), name: b.name, input: b.input } : b));
  const stop = reply.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model: req.model ?? 'claude-sonnet-4-5',
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function sse(res: ServerResponse, msg: ReturnType<typeof message>): void {
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': nextId('req') });
  send('message_start', { type: 'message_start', message: { ...msg, content: [], stop_reason: null, usage: { ...msg.usage, output_tokens: 1 } } });
  msg.content.forEach((block, index) => {
    if (block.type === 'tool_use') {
      const b = block as { id: string; name: string; input: unknown };
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const json = JSON.stringify(b.input);
      // Partial JSON in two pieces, as the API streams it.
      const cut = Math.floor(json.length / 2);
      for (const partial_json of [json.slice(0, cut), json.slice(cut)]) send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
    } else {
      const text = (block as { text: string }).text;
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  });
  send('message_delta', { type: 'message_delta', delta: { stop_reason: msg.stop_reason, stop_sequence: null }, usage: { output_tokens: msg.usage.output_tokens } });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface MockMessages {
  url: string;
  /** Every request received, in order. */
  requests: LoggedRequest[];
  /** The `/v1/messages` requests only (the model turns). */
  turns(): MessagesRequest[];
  /** Replace the script (between sessions). */
  setScript(script: Script): void;
  close(): Promise<void>;
}

export async function startMockMessages(script: Script = steps()): Promise<MockMessages> {
  let current = script;
  const requests: LoggedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      const path = req.url ?? '/';
      let body: MessagesRequest;
      try {
        body = raw ? (JSON.parse(raw) as MessagesRequest) : { messages: [] };
      } catch {
        body = { messages: [], raw };
      }
      requests.push({ method: req.method ?? 'GET', path, body });
      const route = path.split('?')[0];
      if (req.method === 'POST' && route === '/v1/messages/count_tokens') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: Math.ceil(raw.length / 4) }));
        return;
      }
      if (req.method === 'POST' && route === '/v1/messages') {
        const msg = message(body, current(body, stepOf(body)));
        if (body.stream) sse(res, msg);
        else {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': nextId('req') });
          res.end(JSON.stringify(msg));
        }
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `mock: no route ${req.method} ${path}` } }));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `mock: ${(err as Error).message}` } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    turns: () => requests.filter((r) => r.method === 'POST' && r.path.split('?')[0] === '/v1/messages').map((r) => r.body),
    setScript: (s) => {
      current = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
