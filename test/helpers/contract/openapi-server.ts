// A contract fake driven by a vendor's OpenAPI 3.0 document: requests are routed by the document's paths, every
// request (path/query parameters, body) is validated against its operation, and every response the fake's handlers
// return is validated against the documented response for that status. Any mismatch is a violation that fails the
// test. Handlers are registered per operationId; an operation without a handler is a violation too.
import { readFileSync } from 'node:fs';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import formatsModule from 'ajv-formats';
import { conform, normalizeNullable } from './conform.js';
import {
  startLoopback,
  templateToRegExp,
  type ContractResponse,
  type Loopback,
  type RecordedRequest,
} from './loopback.js';

type JsonObject = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

export interface OperationRequest {
  operationId: string;
  method: string;
  path: string;
  /** Path parameters, coerced to their documented types. */
  params: Record<string, string | number>;
  /** Query parameters, coerced to their documented types. */
  query: Record<string, unknown>;
  body: unknown;
  headers: RecordedRequest['headers'];
  /** A deep copy of the document's example response for `status` (the first documented 2xx by default). */
  example(status?: number): JsonObject;
  /** The fake's base URL (origin + base path), for building `url` fields. */
  baseUrl: string;
}

export type OperationHandler = (request: OperationRequest) => ContractResponse | Promise<ContractResponse>;

export interface OpenApiFakeOptions {
  /** The document, or a path to its JSON file. */
  document: OpenApiDocument | string;
  /** Mount point of the API, e.g. `/api/v3` for GitHub Enterprise Server. */
  basePath?: string;
  /**
   * What a request to a path the document does not have gets: a violation (default; the client called something
   * that does not exist), or a plain 404 (for probing optional endpoints, as on an older Enterprise Server).
   */
  undocumented?: 'violation' | 'not-found';
  /**
   * Reject properties the schema does not declare, in request bodies and in the fake's responses (default true):
   * a typo'd field is ignored by the real API, so it is a bug worth catching here.
   */
  strictProperties?: boolean;
  /**
   * Statuses any operation may answer, with their body schema (a components.schemas name or a schema): vendors
   * document auth and rate-limit answers once for the whole API rather than per operation.
   */
  globalResponses?: Record<number, string | JsonObject>;
}

interface Operation {
  id: string;
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  spec: JsonObject;
  parameters: JsonObject[];
}

export interface OpenApiFake extends Loopback {
  /** origin + basePath: what the SDK's base URL should be. */
  url: string;
  /** Registers the handler of one operation (the operationId must exist in the document). */
  handle(operationId: string, handler: OperationHandler): OpenApiFake;
  /** The recorded requests that matched one operation. */
  calls(operationId: string): RecordedRequest[];
}

const documents = new Map<string, OpenApiDocument>();

function loadDocument(document: OpenApiDocument | string): OpenApiDocument {
  if (typeof document !== 'string') return document;
  let doc = documents.get(document);
  if (!doc) {
    doc = JSON.parse(readFileSync(document, 'utf8')) as OpenApiDocument;
    documents.set(document, doc);
  }
  return doc;
}

export async function startOpenApiFake(options: OpenApiFakeOptions): Promise<OpenApiFake> {
  const doc = loadDocument(options.document);
  const strict = options.strictProperties ?? true;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const validators = new SchemaValidators(doc, strict);
  const operations = collectOperations(doc);
  const handlers = new Map<string, OperationHandler>();
  const globals: Record<number, JsonObject> = {};
  for (const [status, schema] of Object.entries(options.globalResponses ?? {}))
    globals[Number(status)] = {
      content: {
        'application/json': {
          schema: typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema,
        },
      },
    };
  let baseUrl = '';

  const loopback = await startLoopback({
    async route(request, violate) {
      if (!request.path.startsWith(basePath)) {
        violate(`outside the API base path ${basePath}`);
        return { status: 404, body: { message: 'Not Found' } };
      }
      const path = request.path.slice(basePath.length) || '/';
      const method = request.method.toLowerCase();
      const matches = operations.filter((o) => o.regex.test(path));
      const operation = matches.find((o) => o.method === method);
      if (!operation) {
        if (options.undocumented !== 'not-found')
          violate(
            matches.length
              ? `the document has no ${request.method} for ${matches[0]!.template} (only ${matches.map((m) => m.method.toUpperCase()).join(', ')})`
              : 'the document has no such path',
          );
        return { status: 404, body: { message: 'Not Found' } };
      }
      request.operation = operation.id;
      const groups = operation.regex.exec(path)!;
      const params = checkParameters(operation, groups, request, validators, violate);
      const body = checkBody(operation, request, validators, violate);
      const handler = handlers.get(operation.id);
      if (!handler) {
        violate(`no fake handler for ${operation.id}`);
        return { status: 501, body: { message: `no fake handler for ${operation.id}` } };
      }
      const response = await handler({
        operationId: operation.id,
        method: request.method,
        path,
        params: params.path,
        query: params.query,
        body,
        headers: request.headers,
        example: (status) => exampleOf(doc, operation, status),
        baseUrl,
      });
      checkResponse(operation, response, validators, globals, (message) =>
        violate(`the fake's ${response.status} response: ${message}`),
      );
      return response;
    },
  });
  baseUrl = loopback.origin + basePath;

  const fake: OpenApiFake = {
    ...loopback,
    url: baseUrl,
    handle(operationId, handler) {
      if (!operations.some((o) => o.id === operationId))
        throw new Error(`the OpenAPI document has no operation ${operationId}`);
      handlers.set(operationId, handler);
      return fake;
    },
    calls(operationId) {
      return loopback.requests.filter((r) => r.operation === operationId);
    },
  };
  return fake;
}

function collectOperations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as JsonObject[] | undefined) ?? [];
    for (const [method, spec] of Object.entries(item)) {
      const op = spec as JsonObject;
      if (method === 'parameters' || typeof op.operationId !== 'string') continue;
      const { regex, names } = templateToRegExp(template);
      const own = (op.parameters as JsonObject[] | undefined) ?? [];
      const parameters = [...shared, ...own].map((p) => resolveRef(doc, p));
      out.push({ id: op.operationId, method, template, regex, names, spec: op, parameters });
    }
  }
  // Literal segments win over templated ones (GET /user before GET /{anything}).
  return out.sort((a, b) => a.names.length - b.names.length);
}

function resolveRef(doc: OpenApiDocument, node: JsonObject): JsonObject {
  let current = node;
  for (let depth = 0; typeof current.$ref === 'string' && depth < 10; depth++) {
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(current.$ref) ?? [];
    const target = section && name ? doc.components?.[section]?.[name] : undefined;
    if (!target) throw new Error(`dangling $ref ${current.$ref}`);
    current = target as JsonObject;
  }
  return current;
}

function checkParameters(
  operation: Operation,
  groups: RegExpExecArray,
  request: RecordedRequest,
  validators: SchemaValidators,
  violate: (message: string) => void,
): { path: Record<string, string | number>; query: Record<string, unknown> } {
  const path: Record<string, string | number> = {};
  const query: Record<string, unknown> = {};
  operation.names.forEach((name, i) => {
    const raw = decodeURIComponent(groups[i + 1]!);
    const spec = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    const value = spec ? coerce(raw, spec.schema as JsonObject | undefined) : raw;
    if (spec) validators.check(spec.schema, value, `path parameter ${name}`, violate);
    path[name] = value as string | number;
  });
  const documented = operation.parameters.filter((p) => p.in === 'query');
  for (const key of new Set(request.query.keys())) {
    const spec = documented.find((p) => p.name === key);
    if (!spec) {
      violate(`query parameter "${key}" is not documented for ${operation.id}`);
      continue;
    }
    const schema = spec.schema as JsonObject | undefined;
    const all = request.query.getAll(key);
    const value =
      schema?.type === 'array'
        ? all.map((v) => coerce(v, schema.items as JsonObject))
        : coerce(all[0]!, schema);
    validators.check(schema, value, `query parameter ${key}`, violate);
    query[key] = value;
  }
  for (const spec of documented)
    if (spec.required === true && !request.query.has(String(spec.name)))
      violate(`required query parameter "${String(spec.name)}" is missing`);
  return { path, query };
}

function coerce(raw: string, schema: JsonObject | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && Number.isFinite(Number(raw)))
    return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function checkBody(
  operation: Operation,
  request: RecordedRequest,
  validators: SchemaValidators,
  violate: (message: string) => void,
): unknown {
  const spec = operation.spec.requestBody as JsonObject | undefined;
  const hasBody = request.rawBody.trim() !== '';
  if (!spec) {
    if (hasBody) violate(`${operation.id} takes no request body, but one was sent`);
    return request.body;
  }
  const content = (spec.content ?? {}) as Record<string, JsonObject>;
  if (!hasBody) {
    if (spec.required === true) violate(`${operation.id} requires a request body`);
    return undefined;
  }
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const media = content[type];
  if (!media) {
    violate(`content-type "${type}" is not documented (expected ${Object.keys(content).join(' or ')})`);
    return request.body;
  }
  if (typeof request.body === 'string') violate('the request body is not valid JSON');
  else validators.check(media.schema, request.body, 'request body', violate);
  return request.body;
}

function checkResponse(
  operation: Operation,
  response: ContractResponse,
  validators: SchemaValidators,
  globals: Record<number, JsonObject>,
  violate: (message: string) => void,
): void {
  const responses = operation.spec.responses as Record<string, JsonObject>;
  const documented = responses[String(response.status)] ?? responses.default ?? globals[response.status];
  if (!documented) {
    violate(
      `status ${response.status} is not documented for ${operation.id} (${Object.keys(responses).join(', ')})`,
    );
    return;
  }
  const spec = validators.resolve(documented);
  const media = (spec.content as Record<string, JsonObject> | undefined)?.['application/json'];
  if (!media) {
    if (response.body !== undefined) violate('this status has no documented body, but the fake sent one');
    return;
  }
  if (response.body === undefined) {
    violate('the documented body is missing');
    return;
  }
  validators.check(media.schema, response.body, 'body', violate);
}

function exampleOf(doc: OpenApiDocument, operation: Operation, status?: number): JsonObject {
  const responses = operation.spec.responses as Record<string, JsonObject>;
  const key = status ? String(status) : Object.keys(responses).find((s) => /^2\d\d$/.test(s));
  const documented = key ? responses[key] : undefined;
  if (!documented) throw new Error(`${operation.id} documents no ${status ?? '2xx'} response`);
  const media = (resolveRef(doc, documented).content as Record<string, JsonObject> | undefined)?.[
    'application/json'
  ];
  const examples = media?.examples as Record<string, JsonObject> | undefined;
  const first = examples ? Object.values(examples)[0] : undefined;
  const value = first ? resolveRef(doc, first).value : media?.example;
  if (value === undefined) throw new Error(`${operation.id} has no example for ${key}`);
  // Vendors' examples drift from their schemas; the template is bent to the schema so it validates as it is.
  return conform(media?.schema, structuredClone(value), (node) => resolveRef(doc, node)) as JsonObject;
}

/**
 * Compiles schemas lazily against the whole document (so `#/components/...` refs resolve). With strictProperties,
 * object schemas at every position that is not a branch of allOf/anyOf/oneOf get `unevaluatedProperties: false`, which
 * (unlike additionalProperties) still sees the properties their branches and $refs declare.
 */
class SchemaValidators {
  readonly #ajv: Ajv2019;
  readonly #cache = new Map<unknown, ValidateFunction>();
  readonly #doc: OpenApiDocument;
  readonly #strict: boolean;

  constructor(doc: OpenApiDocument, strict: boolean) {
    this.#doc = doc;
    this.#strict = strict;
    this.#ajv = new Ajv2019({ strict: false, allErrors: true, logger: false, validateFormats: true });
    // ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
    formatsModule.default(this.#ajv);
    // Formats the vendor documents but JSON Schema does not define: accept what their names promise.
    this.#ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.#ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.#ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
    const normalized = normalizeNullable(doc.components ?? {});
    const components = strict ? tighten(normalized, 'container') : normalized;
    this.#ajv.addSchema({ components }, 'doc');
  }

  resolve(node: JsonObject): JsonObject {
    return resolveRef(this.#doc, node);
  }

  check(schema: unknown, value: unknown, what: string, violate: (message: string) => void): void {
    if (!schema) return;
    let validate = this.#cache.get(schema);
    if (!validate) {
      const normalized = normalizeNullable(schema);
      const rooted = rebase(this.#strict ? tighten(normalized, 'position') : normalized);
      validate = this.#ajv.compile(rooted as JsonObject);
      this.#cache.set(schema, validate);
    }
    if (!validate(value)) {
      for (const error of (validate.errors ?? []).slice(0, 8)) {
        const where = `${what}${error.instancePath || ''}`;
        const extra =
          error.keyword === 'unevaluatedProperties'
            ? ` (${String((error.params as { unevaluatedProperty?: string }).unevaluatedProperty)})`
            : error.keyword === 'enum'
              ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
              : '';
        violate(`${where} ${error.message ?? 'is invalid'}${extra}`);
      }
    }
  }
}

/** Local `#/components/...` refs of an operation schema point into the document registered as `doc`. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node as JsonObject))
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `doc${value}` : rebase(value);
  return out;
}

const BRANCHES = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);

/**
 * Adds `unevaluatedProperties: false` at schema positions. `container` walks a components map (whose entries are
 * $ref targets, tightened at the referencing site instead), `position` is a schema used on its own.
 */
function tighten(node: unknown, mode: 'container' | 'position' | 'branch'): unknown {
  if (Array.isArray(node)) return node.map((n) => tighten(n, mode));
  if (!node || typeof node !== 'object') return node;
  const schema = node as JsonObject;
  if (mode === 'container') {
    const out: JsonObject = {};
    for (const [section, entries] of Object.entries(schema)) {
      if (section !== 'schemas') {
        out[section] = entries;
        continue;
      }
      const tightened: JsonObject = {};
      for (const [name, entry] of Object.entries(entries as JsonObject))
        tightened[name] = tighten(entry, 'branch');
      out[section] = tightened;
    }
    return out;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (BRANCHES.has(key)) out[key] = (value as unknown[]).map((v) => tighten(v, 'branch'));
    else if (SCHEMA_MAPS.has(key)) {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value as JsonObject)) props[name] = tighten(sub, 'position');
      out[key] = props;
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not')
      out[key] = typeof value === 'object' ? tighten(value, 'position') : value;
    else out[key] = value;
  }
  const objectLike =
    typeof schema.$ref === 'string' ||
    schema.type === 'object' ||
    schema.properties !== undefined ||
    ['allOf', 'anyOf', 'oneOf'].some((k) => k in schema);
  if (mode === 'position' && objectLike && schema.additionalProperties === undefined)
    out.unevaluatedProperties = false;
  return out;
}
