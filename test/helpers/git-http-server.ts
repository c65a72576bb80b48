// A git smart-HTTP remote on 127.0.0.1: requires Basic auth (answering 401 first, as a real host does, so git asks its
// credential helper), records every Authorization header, and serves pushes through `git http-backend` (CGI).
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface GitHttpServer {
  /** e.g. `http://127.0.0.1:4321` — the remote is `${origin}/acme/api.git`. */
  origin: string;
  /** Decoded `user:password` of every authenticated request. */
  credentials: string[];
  close(): Promise<void>;
}

export async function startGitHttpServer(options: {
  /** Folder holding bare repositories, e.g. `<root>/acme/api.git`. */
  projectRoot: string;
  username: string;
  password: string;
}): Promise<GitHttpServer> {
  const credentials: string[] = [];
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization;
    const decoded = auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : null;
    if (decoded) credentials.push(decoded);
    if (decoded !== `${options.username}:${options.password}`) {
      req.resume();
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake git host"' })
        .end('authentication required\n');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: options.username,
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.stdin.end(Buffer.concat(chunks));
    const out: Buffer[] = [];
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) out.push(chunk);
    const raw = Buffer.concat(out);
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString('utf8');
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.split('\r\n')) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (name?.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else if (name) headers[name] = value;
    }
    res.writeHead(status, headers).end(raw.subarray(split + 4));
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  };
  try {
    onTestFinished(close);
  } catch {
    // started outside a test: the caller closes it
  }
  return { origin: `http://127.0.0.1:${port}`, credentials, close };
}
