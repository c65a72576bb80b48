// Derives a small OpenAPI document for a contract fake from a vendor SDK's own TypeScript types, for vendors whose npm
// packages ship types but no OpenAPI file (@gitbeaker/core, bitbucket, asana + @types/asana). Schemas come from the
// types through ts-json-schema-generator; each operation's method and path are checked against the SDK's own source,
// so an SDK upgrade that moves an endpoint fails here instead of drifting silently. Regenerate after an SDK upgrade:
//   node --import tsx scripts/contracts/derive-openapi.ts test/fixtures/contracts/gitlab.derive.json
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { sampleOf, type Json, type JsonObject } from './schema-sample.js';
import {
  decamelizeSchema,
  flatQuery,
  onlyRequired,
  openApi30,
  openUp,
  resolveSchema,
  rewriteRefs,
  safeName,
  sortKeys,
} from './schema-transforms.js';

export interface DeriveManifest {
  title: string;
  /** Packages whose installed versions the document records (and the contract test compares). */
  packages: string[];
  /**
   * The SDK's own declaration file when its types are exported by name (`Schema.Pullrequest`), else a TypeScript file
   * of exported aliases onto them (gitbeaker declares its interfaces unexported and re-exports them in a list).
   */
  entry: string;
  output: string;
  /**
   * Objects accept properties their type does not list. For the `bitbucket` package: its types give every schema
   * Atlassian's open base object (`[k: string]: unknown`), which ts-json-schema-generator drops from intersections.
   */
  openObjects?: boolean;
  /** `snake`: request types are camelCase in the SDK and decamelized on the wire (gitbeaker's xcase). */
  requestCase?: 'snake' | 'as-is';
  /**
   * A regex replacement applied to the entry before it is read (the file is copied to a temp dir): @types/asana
   * declares `var Tasks: TasksStatic` beside `namespace Tasks`, and the generator resolves the name to the variable.
   */
  entryRewrite?: { pattern: string; flags?: string; replacement: string };
  /** Alias of the error body every documented error status carries. */
  errorType?: string;
  /** The error body as a schema, for SDKs that do not type it (the manifest says where it comes from). */
  errorSchema?: JsonObject;
  /**
   * Response properties that are always present; the others are optional. Asana answers with the fields asked for in
   * `opt_fields` (plus `gid`), so its typings' required lists describe the full resource, not a response.
   */
  responseRequired?: string[];
  /** Query parameters every GET takes (pagination, field selection), with their schemas. */
  globalQuery?: Record<string, JsonObject>;
  operations: DeriveOperation[];
}

export interface DeriveOperation {
  operationId: string;
  method: string;
  path: string;
  /** Strings the SDK's shipped source must contain for this operation: `[file, text]` pairs. */
  source: [string, string][];
  params?: Record<string, JsonObject>;
  /** An alias whose properties are the query parameters, and/or single parameters. */
  query?: { type?: string; params?: Record<string, JsonObject>; required?: string[] };
  body?: {
    type?: string;
    /** An inline schema instead of a type (bodies the SDK leaves untyped). */
    schema?: JsonObject;
    /** Parameters the SDK method takes positionally and sends in the body, always present. */
    positional?: Record<string, JsonObject>;
    required?: string[];
    /** Asana wraps every body in `{data: …}`. */
    wrap?: string;
  };
  /** status → alias of the body (`T[]` for a list), an inline `{schema}`, or null for an empty body. */
  responses: Record<string, string | { schema: JsonObject } | null>;
  /** Response wrapper, as for bodies. */
  responseWrap?: string;
  /** Properties beside the wrapped body (Asana's `next_page`), by type alias; each may be null. */
  responseExtra?: Record<string, string>;
  errors: number[];
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The installed version, read from node_modules (some packages do not export their package.json). */
export function installedVersion(name: string): string {
  return (
    JSON.parse(readFileSync(resolve(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

export function deriveOpenApi(manifest: DeriveManifest): JsonObject {
  const entry = entryPath(manifest);
  try {
    return deriveFrom(manifest, entry.path);
  } finally {
    entry.cleanup();
  }
}

function deriveFrom(manifest: DeriveManifest, path: string): JsonObject {
  const generator = createGenerator({
    path,
    skipTypeCheck: true,
    expose: 'export',
    topRef: false,
    jsDoc: 'none',
    additionalProperties: manifest.openObjects === true,
  });
  const schemas: JsonObject = {};
  const snake = manifest.requestCase === 'snake';
  const component = (type: string, request: boolean): JsonObject => {
    const name = request && snake ? `${type}.wire` : type;
    if (!(name in schemas)) {
      const raw = generator.createSchema(type) as unknown as JsonObject;
      const {
        definitions,
        $schema: _ignored,
        ...schema
      } = manifest.openObjects ? (openUp(raw) as JsonObject) : raw;
      const shape = (node: Json): JsonObject => {
        const rewritten = rewriteRefs(node);
        return manifest.responseRequired
          ? (onlyRequired(rewritten, manifest.responseRequired) as JsonObject)
          : rewritten;
      };
      for (const [defName, def] of Object.entries((definitions ?? {}) as JsonObject))
        schemas[safeName(defName)] = shape(def);
      schemas[name] = shape(request && snake ? decamelizeSchema(schema) : schema);
    }
    return { $ref: `#/components/schemas/${name}` };
  };

  const paths: Record<string, JsonObject> = {};
  for (const op of manifest.operations) {
    for (const [file, text] of op.source) {
      const source = readFileSync(resolve(root, file), 'utf8');
      if (!source.includes(text)) throw new Error(`${op.operationId}: ${file} no longer contains ${text}`);
    }
    const parameters: JsonObject[] = [];
    for (const [name, schema] of Object.entries(op.params ?? {}))
      parameters.push({ name, in: 'path', required: true, schema });
    if (op.query) {
      const fromType = op.query.type ? flatQuery(resolveSchema(component(op.query.type, true), schemas)) : {};
      for (const [name, schema] of Object.entries({ ...fromType, ...op.query.params }))
        parameters.push({ name, in: 'query', required: op.query.required?.includes(name) ?? false, schema });
    }
    if (op.method === 'get')
      for (const [name, schema] of Object.entries(manifest.globalQuery ?? {}))
        if (!parameters.some((p) => p.name === name)) parameters.push({ name, in: 'query', schema });
    const operation: JsonObject = { operationId: op.operationId, parameters, responses: {} };
    if (op.body) {
      let schema: JsonObject = op.body.type
        ? component(op.body.type, true)
        : (op.body.schema ?? { type: 'object', properties: {}, additionalProperties: false });
      if (op.body.positional || op.body.required) {
        // Merged into one object schema rather than allOf: the SDK type is closed (additionalProperties: false).
        const base = structuredClone(resolveSchema(schema, schemas));
        base.properties = { ...(base.properties as JsonObject | undefined), ...op.body.positional };
        const required = [
          ...((base.required as string[] | undefined) ?? []),
          ...Object.keys(op.body.positional ?? {}),
        ];
        base.required = [...new Set([...required, ...(op.body.required ?? [])])];
        schema = base;
      }
      if (op.body.wrap)
        schema = { type: 'object', properties: { [op.body.wrap]: schema }, required: [op.body.wrap] };
      operation.requestBody = { required: true, content: { 'application/json': { schema } } };
    }
    const responses = operation.responses as JsonObject;
    for (const [status, type] of Object.entries(op.responses)) {
      if (type === null) {
        responses[status] = { description: 'no body' };
        continue;
      }
      const list = typeof type === 'string' && type.endsWith('[]');
      let schema: JsonObject =
        typeof type === 'string' ? component(list ? type.slice(0, -2) : type, false) : type.schema;
      if (list) schema = { type: 'array', items: schema };
      if (op.responseWrap) {
        const extra: JsonObject = {};
        for (const [key, alias] of Object.entries(op.responseExtra ?? {}))
          extra[key] = { anyOf: [component(alias, false), { type: 'null' }] };
        schema = {
          type: 'object',
          properties: { [op.responseWrap]: schema, ...extra },
          required: [op.responseWrap],
          additionalProperties: false,
        };
      }
      responses[status] = {
        description: typeof type === 'string' ? type : 'inline',
        content: { 'application/json': { schema, example: sampleOf(schema, schemas) } },
      };
    }
    for (const status of op.errors)
      responses[String(status)] = {
        description: 'error',
        content: {
          'application/json': {
            schema: manifest.errorSchema ?? component(manifest.errorType ?? 'ErrorBody', false),
          },
        },
      };
    paths[op.path] = { ...paths[op.path], [op.method]: operation };
  }
  const versions = Object.fromEntries(manifest.packages.map((p) => [p, installedVersion(p)]));
  return openApi30({
    openapi: '3.0.3',
    info: {
      title: manifest.title,
      version: Object.values(versions).join(' + '),
      'x-packages': versions,
      description: `Derived by scripts/contracts/derive-openapi.ts from ${manifest.entry}. Do not edit by hand.`,
    },
    paths,
    components: { schemas: sortKeys(schemas) },
  }) as JsonObject;
}

/** The entry as the generator reads it: as it is, or rewritten into a temp copy (removed by cleanup). */
function entryPath(manifest: DeriveManifest): { path: string; cleanup: () => void } {
  const entry = resolve(root, manifest.entry);
  if (!manifest.entryRewrite) return { path: entry, cleanup: () => {} };
  const { pattern, flags, replacement } = manifest.entryRewrite;
  const dir = mkdtempSync(join(tmpdir(), 'aidev-contract-'));
  const copy = join(dir, 'index.d.ts');
  writeFileSync(copy, readFileSync(entry, 'utf8').replace(new RegExp(pattern, flags ?? 'gm'), replacement));
  return { path: copy, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function main(manifestPath: string): void {
  const manifest = JSON.parse(readFileSync(resolve(root, manifestPath), 'utf8')) as DeriveManifest;
  const doc = deriveOpenApi(manifest);
  writeFileSync(resolve(root, manifest.output), JSON.stringify(doc, null, 1) + '\n');
  const size = Math.round(JSON.stringify(doc).length / 1024);
  process.stdout.write(`wrote ${manifest.output} (${manifest.operations.length} operations, ${size} KB)\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const manifest = process.argv[2];
  if (!manifest) {
    process.stderr.write('usage: node --import tsx scripts/contracts/derive-openapi.ts <manifest.json>\n');
    process.exit(2);
  }
  main(manifest);
}
