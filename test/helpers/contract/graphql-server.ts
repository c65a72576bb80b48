// A loopback GraphQL fake for contract tests, on the shared loopback plumbing: every operation is parsed and validated
// against a real schema (and its variables coerced) before a test's root resolvers answer it; a rejected operation is a
// contract violation that fails the test. Fields a resolver leaves out are filled by type, and graphql's own executor
// shapes the response, so what a client gets is the schema's shape.
import type { IncomingHttpHeaders } from 'node:http';
import {
  execute,
  getNamedType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { startLoopback, type ContractResponse, type Loopback } from './loopback.js';

export interface GraphqlRequestRecord {
  operationName: string | null;
  /** Root fields the operation selects, e.g. `issue`, `issueCreate`. */
  rootFields: string[];
  query: string;
  variables: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/** A root field resolver: `(args) => value`. Throwing a GraphqlFault answers with that error. */
export type RootResolver = (args: Record<string, unknown>, request: GraphqlRequestRecord) => unknown;

/** An error the fake returns the way Linear does: a GraphQL error with `extensions.type`, and an HTTP status. */
export class GraphqlFault extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown>,
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface GraphqlServer {
  /** The endpoint, `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** Operations that passed validation, in order. */
  operations: GraphqlRequestRecord[];
  loopback: Loopback;
  close(): Promise<void>;
}

export interface GraphqlServerOptions {
  schema: GraphQLSchema;
  query?: Record<string, RootResolver>;
  mutation?: Record<string, RootResolver>;
  /** Runs after validation, before resolvers; a fault it throws answers the request (auth checks, rate limits). */
  before?: (request: GraphqlRequestRecord) => void;
  path?: string;
}

export async function startGraphqlServer(options: GraphqlServerOptions): Promise<GraphqlServer> {
  const operations: GraphqlRequestRecord[] = [];
  const path = options.path ?? '/graphql';
  const loopback = await startLoopback({
    async route(request, violate): Promise<ContractResponse> {
      if (request.method !== 'POST' || request.path !== path) {
        violate(`not the GraphQL endpoint ${path}`);
        return { status: 404, body: { errors: [{ message: 'not found' }] } };
      }
      const body = request.body as { query?: unknown; variables?: unknown } | undefined;
      const record: GraphqlRequestRecord = {
        operationName: null,
        rootFields: [],
        query: typeof body?.query === 'string' ? body.query : '',
        variables: (body?.variables ?? {}) as Record<string, unknown>,
        headers: request.headers,
      };
      const reject = (messages: string[]): ContractResponse => {
        for (const m of messages) violate(`${record.operationName ?? 'anonymous operation'}: ${m}`);
        return { status: 400, body: { errors: messages.map((message) => ({ message })) } };
      };
      let document: DocumentNode;
      try {
        document = parse(record.query);
      } catch (error) {
        return reject([(error as Error).message]);
      }
      describeOperation(document, record);
      request.operation = record.operationName;
      const errors = validate(options.schema, document).map((e) => e.message);
      if (errors.length) return reject(errors);
      try {
        options.before?.(record);
      } catch (error) {
        if (error instanceof GraphqlFault) return faultResponse(error);
        throw error;
      }
      const result = await run(options, document, record);
      if (result.fault) return faultResponse(result.fault);
      if (result.variableErrors.length) return reject(result.variableErrors);
      // Any other execution error is the fake's own gap (a missing resolver, a value of the wrong type): fail loudly.
      for (const e of result.executionErrors)
        violate(`${record.operationName ?? 'anonymous operation'}: ${e}`);
      operations.push(record);
      return { status: 200, body: result.body };
    },
  });
  return { url: loopback.origin + path, operations, loopback, close: () => loopback.close() };
}

function faultResponse(f: GraphqlFault): ContractResponse {
  return {
    status: f.status,
    headers: f.headers,
    body: { data: null, errors: [{ message: f.message, extensions: f.extensions }] },
  };
}

function describeOperation(document: DocumentNode, record: GraphqlRequestRecord): void {
  for (const def of document.definitions) {
    if (def.kind !== 'OperationDefinition') continue;
    record.operationName = def.name?.value ?? null;
    for (const sel of def.selectionSet.selections)
      if (sel.kind === 'Field') record.rootFields.push(sel.name.value);
  }
}

async function run(
  options: GraphqlServerOptions,
  document: DocumentNode,
  record: GraphqlRequestRecord,
): Promise<{ body: unknown; variableErrors: string[]; executionErrors: string[]; fault?: GraphqlFault }> {
  let fault: GraphqlFault | undefined;
  const roots = { Query: options.query ?? {}, Mutation: options.mutation ?? {} };
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _ctx, info) => {
    const parent = info.parentType.name;
    if (parent === 'Query' || parent === 'Mutation') {
      const resolver = roots[parent][info.fieldName];
      if (!resolver) throw new Error(`the fake has no resolver for ${parent}.${info.fieldName}`);
      try {
        return fill(resolver(args, record), info.returnType, options.schema);
      } catch (error) {
        if (error instanceof GraphqlFault) fault = error;
        throw error;
      }
    }
    const value = (source as Record<string, unknown> | null)?.[info.fieldName];
    return fill(
      typeof value === 'function' ? (value as (a: unknown) => unknown)(args) : value,
      info.returnType,
      options.schema,
    );
  };
  const result = await execute({
    schema: options.schema,
    document,
    variableValues: record.variables,
    fieldResolver,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  // Variable coercion errors come back without data: they are contract violations, like validation errors.
  const messages = (result.errors ?? []).map((e) => e.message);
  const noData = !('data' in result) || result.data === undefined;
  return {
    body: result,
    variableErrors: noData ? messages : [],
    executionErrors: noData || fault ? [] : messages,
    fault,
  };
}

/** A value for a field the resolver left out: null where allowed, else a plain value of the type. */
function fill(value: unknown, type: GraphQLOutputType, schema: GraphQLSchema): unknown {
  if (value !== undefined && value !== null) {
    const named = getNamedType(type);
    if (isAbstractType(named) && typeof value === 'object' && !('__typename' in value))
      return { __typename: schema.getPossibleTypes(named)[0]!.name, ...value };
    return value;
  }
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  if (isObjectType(inner)) return {};
  if (isAbstractType(inner)) return { __typename: schema.getPossibleTypes(inner)[0]!.name };
  return placeholderScalars[inner.name] ?? '';
}

const placeholderScalars: Record<string, unknown> = {
  ID: 'fake-id',
  Boolean: false,
  Int: 0,
  Float: 0,
  DateTime: '2026-01-01T00:00:00.000Z',
  TimelessDate: '2026-01-01',
  JSON: {},
  JSONObject: {},
};
