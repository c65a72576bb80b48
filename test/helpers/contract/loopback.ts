// The HTTP plumbing shared by the contract fakes: a server on 127.0.0.1 that records every request, hands it to a
// router, and collects contract violations so the test that caused them fails (see assertNoViolations / close).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/repos/acme/api/pulls`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The operation the router matched (operationId or route name), or null. */
  operation: string | null;
  /** The status the fake answered with. */
  status?: number;
}

export interface ContractResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Router {
  /** Matches, validates and answers one request; violations go to `violate`, never thrown at the client. */
  route(request: RecordedRequest, violate: (message: string) => void): Promise<ContractResponse>;
}

export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
}

export interface Loopback {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  requests: RecordedRequest[];
  violations: string[];
  /** Throws ContractViolationError listing every violation seen so far. */
  assertNoViolations(): void;
  /** Stops the server; throws like assertNoViolations. Called automatically when the test finishes. */
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

export async function startLoopback(router: Router): Promise<Loopback> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        violations.push(`${req.method} ${req.url}: request body over ${MAX_BODY} bytes`);
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk);
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body: undefined,
      operation: null,
    };
    if (rawBody) {
      try {
        recorded.body = JSON.parse(rawBody) as unknown;
      } catch {
        recorded.body = rawBody;
      }
    }
    requests.push(recorded);
    let response: ContractResponse;
    try {
      response = await router.route(recorded, (message) =>
        violations.push(`${recorded.method} ${recorded.path}: ${message}`),
      );
    } catch (error) {
      violations.push(
        `${recorded.method} ${recorded.path}: the fake threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      response = { status: 500, body: { message: 'fake handler failed' } };
    }
    recorded.status = response.status;
    const headers: Record<string, string> = { ...response.headers };
    let payload = '';
    if (response.body !== undefined) {
      payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    res.writeHead(response.status, headers).end(payload);
  }

  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  let closed = false;

  const assertNoViolations = (): void => {
    if (violations.length) {
      throw new ContractViolationError(
        `the contract fake saw ${violations.length} violation(s):\n- ${violations.join('\n- ')}`,
      );
    }
  };
  const loopback: Loopback = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    violations,
    assertNoViolations,
    async close() {
      if (!closed) {
        closed = true;
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      }
      assertNoViolations();
    },
  };
  // Started inside a test, a fake that the test forgets to close still fails it on a violation. Started in a
  // beforeAll hook, the caller closes it (vitest has no test to attach to there).
  try {
    onTestFinished(() => loopback.close());
  } catch {
    // not inside a test
  }
  return loopback;
}

/** A `{name}` path template as a regex with named groups; literal parts are escaped. */
export function templateToRegExp(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { regex: new RegExp(`^${source}$`), names };
}
