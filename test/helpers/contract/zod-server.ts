// A contract fake whose operations are declared with zod schemas (for vendors whose npm package carries its contract
// as zod, like confluence.js, rather than as an OpenAPI document): every request's query and body and every response
// the fake's handlers return is validated against its operation, and a mismatch is a violation that fails the test.
import type { ZodType } from 'zod';
import {
  startLoopback,
  templateToRegExp,
  type ContractResponse,
  type Loopback,
  type RecordedRequest,
} from './loopback.js';

export interface ZodOperation {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{name}` templates, e.g. `/wiki/api/v2/pages/{id}`. */
  path: string;
  /** The query as an object of strings (repeated keys as arrays); omitted means no query is allowed. */
  query?: ZodType;
  body?: ZodType;
  /** Response body schema per status; a status with `null` has no body. */
  responses: Record<number, ZodType | null>;
}

export interface ZodRequest {
  operation: ZodOperation;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  headers: RecordedRequest['headers'];
}

export type ZodHandler = (request: ZodRequest) => ContractResponse | Promise<ContractResponse>;

export interface ZodFake extends Loopback {
  handle(operationId: string, handler: ZodHandler): ZodFake;
  calls(operationId: string): RecordedRequest[];
}

export async function startZodFake(
  operations: readonly ZodOperation[],
  options: { globalResponses?: Record<number, ZodType | null> } = {},
): Promise<ZodFake> {
  const compiled = operations.map((op) => ({ op, ...templateToRegExp(op.path) }));
  const handlers = new Map<string, ZodHandler>();
  const loopback = await startLoopback({
    async route(request, violate) {
      const matches = compiled.filter((c) => c.regex.test(request.path));
      const match = matches.find((c) => c.op.method === request.method);
      if (!match) {
        violate(
          matches.length
            ? `no ${request.method} for ${matches[0]!.op.path}`
            : 'the contract has no such path',
        );
        return { status: 404, body: { message: 'Not Found' } };
      }
      const { op } = match;
      request.operation = op.id;
      const groups = match.regex.exec(request.path)!;
      const params = Object.fromEntries(match.names.map((n, i) => [n, decodeURIComponent(groups[i + 1]!)]));
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(request.query.keys())) {
        const all = request.query.getAll(key);
        query[key] = all.length > 1 ? all : all[0]!;
      }
      if (op.query) check(op.query, query, 'query', violate);
      else if (Object.keys(query).length)
        violate(`${op.id} takes no query, got ${Object.keys(query).join(', ')}`);
      if (op.body) {
        if (typeof request.body === 'string' || request.body === undefined)
          violate(`${op.id} needs a JSON body`);
        else check(op.body, request.body, 'request body', violate);
      } else if (request.rawBody.trim()) violate(`${op.id} takes no body, but one was sent`);
      const handler = handlers.get(op.id);
      if (!handler) {
        violate(`no fake handler for ${op.id}`);
        return { status: 501, body: { message: `no fake handler for ${op.id}` } };
      }
      const response = await handler({
        operation: op,
        params,
        query,
        body: request.body,
        headers: request.headers,
      });
      const schema =
        response.status in op.responses
          ? op.responses[response.status]
          : options.globalResponses?.[response.status];
      if (schema === undefined) violate(`the fake's ${response.status} is not documented for ${op.id}`);
      else if (schema === null) {
        if (response.body !== undefined) violate(`the fake's ${response.status} should have no body`);
      } else check(schema, response.body, `the fake's ${response.status} body`, violate);
      return response;
    },
  });
  const fake: ZodFake = {
    ...loopback,
    handle(operationId, handler) {
      if (!operations.some((o) => o.id === operationId))
        throw new Error(`the contract has no operation ${operationId}`);
      handlers.set(operationId, handler);
      return fake;
    },
    calls(operationId) {
      return loopback.requests.filter((r) => r.operation === operationId);
    },
  };
  return fake;
}

function check(schema: ZodType, value: unknown, what: string, violate: (message: string) => void): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues.slice(0, 8))
    violate(`${what}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
}
