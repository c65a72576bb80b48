// The JSON Schema rewrites derive-openapi.ts applies to what ts-json-schema-generator gives: refs into
// components, OpenAPI 3.0 nullability, open or tightened objects, decamelized request keys, optional response fields.
import type { Json, JsonObject } from './schema-sample.js';

/**
 * JSON Schema's `type: [T, 'null']` and `anyOf: [A, {type: 'null'}]` as OpenAPI 3.0's `nullable: true`, the form the
 * OpenAPI fake (and its example conformer) reads. Examples are left as they are.
 */
export function openApi30(node: Json): Json {
  if (Array.isArray(node)) return node.map(openApi30);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'example' ? value : openApi30(value);
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== 'null');
    if (types.length < out.type.length) out.nullable = true;
    if (types.length === 1) out.type = types[0]!;
    else {
      delete out.type;
      out.anyOf = types.map((t) => ({ type: t }));
    }
  }
  const branches = out.anyOf;
  if (Array.isArray(branches) && branches.some((b) => (b as JsonObject).type === 'null')) {
    const rest = branches.filter((b) => (b as JsonObject).type !== 'null') as JsonObject[];
    out.anyOf = rest;
    out.nullable = true;
    if (rest.length === 1 && !('$ref' in rest[0]!)) {
      delete out.anyOf;
      Object.assign(out, rest[0]);
    }
  }
  return out;
}

/** Every object's `required` cut down to `keep`. */
export function onlyRequired(node: Json, keep: string[]): Json {
  if (Array.isArray(node)) return node.map((n) => onlyRequired(n, keep));
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node))
    out[key] =
      key === 'required' && Array.isArray(value)
        ? value.filter((r) => typeof r === 'string' && keep.includes(r))
        : onlyRequired(value, keep);
  return out;
}

/** Says `additionalProperties: true` out loud, so the fake's strict mode (which fills in `false`) leaves it open. */
export function openUp(node: Json): Json {
  if (Array.isArray(node)) return node.map(openUp);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = openUp(value);
  if ((out.type === 'object' || out.properties) && out.additionalProperties === undefined)
    out.additionalProperties = true;
  return out;
}

/** ts-json-schema-generator names definitions after the type text (`Schema.Pullrequest`, `MappedOmit<…>`). */
export function safeName(name: string): string {
  return decodeURIComponent(name).replace(/[^A-Za-z0-9_.-]+/g, '_');
}

export function rewriteRefs(node: Json): JsonObject {
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/definitions/'))
        out[key] = `#/components/schemas/${safeName(child.slice('#/definitions/'.length))}`;
      else out[key] = walk(child);
    }
    return out;
  };
  return walk(node) as JsonObject;
}

/** gitbeaker's xcase decamelize: `assigneeIds` → `assignee_ids`. */
export function decamelize(key: string): string {
  return key
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, '$1_$2')
    .toLowerCase();
}

export function decamelizeSchema(node: Json): JsonObject {
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === 'properties' && child && typeof child === 'object' && !Array.isArray(child))
        out[key] = Object.fromEntries(Object.entries(child).map(([k, v]) => [decamelize(k), walk(v)]));
      else if (key === 'required' && Array.isArray(child))
        out[key] = child.map((k) => (typeof k === 'string' ? decamelize(k) : k));
      else out[key] = walk(child);
    }
    return out;
  };
  return walk(node) as JsonObject;
}

/** Follows a chain of aliases (`$ref` only) to the schema that has the content. */
export function resolveSchema(schema: JsonObject, schemas: JsonObject): JsonObject {
  let current = schema;
  for (
    let depth = 0;
    typeof current.$ref === 'string' && Object.keys(current).length === 1 && depth < 10;
    depth++
  )
    current = schemas[current.$ref.split('/').pop()!] as JsonObject;
  return current;
}

/** The flat (scalar or scalar-array) properties of a query options type; nested objects are not query parameters. */
export function flatQuery(schema: JsonObject): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  const props = (schema.properties ?? {}) as Record<string, JsonObject>;
  for (const [name, sub] of Object.entries(props))
    if (sub.type !== 'object' && !sub.properties) out[name] = sub;
  return out;
}

export function sortKeys(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
