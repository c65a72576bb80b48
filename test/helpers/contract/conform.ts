// Schema plumbing for the OpenAPI fake: OpenAPI 3.0 `nullable` rewritten so ajv accepts it everywhere, and a vendor
// example bent to the documented schema (vendors' examples drift: extra fields, missing required ones), so a fake can
// start every answer from a template that already conforms and override only the fields a test cares about.

type JsonObject = Record<string, unknown>;
export type Resolve = (node: JsonObject) => JsonObject;

/** `nullable: true` without a `type` (e.g. beside allOf/$ref) becomes `anyOf: [schema, {type: null}]`. */
export function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node as JsonObject))
    out[key] = key === 'example' || key === 'examples' ? value : normalizeNullable(value);
  // ajv's `nullable` does not extend an enum: null has to be listed.
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null))
    out.enum = [...(out.enum as unknown[]), null];
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** `value` reshaped to `schema`: undocumented properties dropped, missing required ones synthesised. */
export function conform(schema: unknown, value: unknown, resolve: Resolve, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 40) return value;
  const s = resolve(schema as JsonObject);
  if (value === undefined) return synthesize(s, resolve, depth);
  if (value === null) return s.nullable === true ? null : synthesize(s, resolve, depth);
  if (Array.isArray(s.allOf)) return conform(mergeAllOf(s, resolve), value, resolve, depth + 1);
  const branches = (s.oneOf ?? s.anyOf) as JsonObject[] | undefined;
  if (branches) return conform(pickBranch(branches.map(resolve), value), value, resolve, depth + 1);
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return synthesize(s, resolve, depth);
    const source = value as JsonObject;
    const properties = (s.properties ?? {}) as JsonObject;
    const out: JsonObject = {};
    for (const [key, sub] of Object.entries(properties))
      if (key in source) out[key] = conform(sub, source[key], resolve, depth + 1);
    for (const key of (s.required ?? []) as string[])
      if (!(key in out)) out[key] = synthesize(properties[key], resolve, depth + 1);
    if (s.additionalProperties)
      for (const [key, sub] of Object.entries(source))
        if (!(key in properties))
          out[key] =
            typeof s.additionalProperties === 'object'
              ? conform(s.additionalProperties, sub, resolve, depth + 1)
              : sub;
    return out;
  }
  if (type === 'array')
    return Array.isArray(value) ? value.map((v) => conform(s.items, v, resolve, depth + 1)) : [];
  const enumValues = s.enum as unknown[] | undefined;
  if (enumValues && !enumValues.includes(value)) return enumValues[0];
  if (type === 'string') return typeof value === 'string' ? value : synthesize(s, resolve, depth);
  if (type === 'integer') return Number.isInteger(value) ? value : 0;
  if (type === 'number') return typeof value === 'number' ? value : 0;
  if (type === 'boolean') return typeof value === 'boolean' ? value : false;
  return value;
}

/** A minimal value that satisfies `schema`. */
export function synthesize(schema: unknown, resolve: Resolve, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 40) return null;
  const s = resolve(schema as JsonObject);
  if (s.nullable === true) return null;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.allOf)) return synthesize(mergeAllOf(s, resolve), resolve, depth + 1);
  const branches = (s.oneOf ?? s.anyOf) as JsonObject[] | undefined;
  if (branches?.[0]) return synthesize(branches[0], resolve, depth + 1);
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type === 'object') return conform(s, {}, resolve, depth + 1);
  if (type === 'array') return [];
  if (type === 'integer' || type === 'number') return typeof s.minimum === 'number' ? s.minimum : 0;
  if (type === 'boolean') return false;
  if (type === 'null') return null;
  if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (s.format === 'uri' || s.format === 'uri-template') return 'https://example.com/';
  if (s.format === 'email') return 'user@example.com';
  return '';
}

function mergeAllOf(schema: JsonObject, resolve: Resolve): JsonObject {
  const merged: JsonObject = { ...schema, allOf: undefined, type: schema.type };
  const properties: JsonObject = { ...((schema.properties ?? {}) as JsonObject) };
  const required = new Set<string>((schema.required ?? []) as string[]);
  for (const part of (schema.allOf as JsonObject[]).map(resolve)) {
    const flat = Array.isArray(part.allOf) ? mergeAllOf(part, resolve) : part;
    Object.assign(properties, flat.properties ?? {});
    for (const key of (flat.required ?? []) as string[]) required.add(key);
    merged.type ??= flat.type;
    if (flat.additionalProperties !== undefined) merged.additionalProperties = flat.additionalProperties;
  }
  delete merged.allOf;
  return { ...merged, properties, required: [...required] };
}

function pickBranch(branches: JsonObject[], value: unknown): JsonObject {
  const kind = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'object'
        : typeof value;
  const matching = branches.filter((b) => {
    const type = b.type ?? (b.properties ? 'object' : undefined);
    return type === undefined || type === kind || (kind === 'number' && type === 'integer');
  });
  if (kind !== 'object' || matching.length < 2) return matching[0] ?? branches[0]!;
  // Objects: the branch documenting most of the value's keys.
  const keys = Object.keys(value as JsonObject);
  const score = (b: JsonObject) => keys.filter((k) => k in ((b.properties ?? {}) as JsonObject)).length;
  return matching.reduce((best, b) => (score(b) > score(best) ? b : best));
}
