// The smallest value a JSON Schema accepts: required properties only, null where null is allowed, the first enum
// member (and, for a list at the top, one item). Derived documents carry one per response as their example, so a fake starts from a valid body and sets
// only the fields its test cares about.
export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export function sampleOf(schema: JsonObject, schemas: JsonObject, depth = 0): Json {
  if (depth > 40) throw new Error('schema too deep to sample (a required cycle?)');
  const ref = schema.$ref;
  if (typeof ref === 'string')
    return sampleOf(schemas[ref.split('/').pop()!] as JsonObject, schemas, depth + 1);
  if ('const' in schema) return schema.const!;
  if (Array.isArray(schema.enum)) return schema.enum[0]!;
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((s) => sampleOf(s as JsonObject, schemas, depth + 1));
    return parts.every((p) => p && typeof p === 'object' && !Array.isArray(p))
      ? (Object.assign({}, ...(parts as JsonObject[])) as JsonObject)
      : parts[0]!;
  }
  const branches = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
  if (branches) {
    const nullable = branches.find((b) => b.type === 'null');
    return nullable ? null : sampleOf(branches[0]!, schemas, depth + 1);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      // A list response's example holds one item: the template a fake copies for each element.
      return depth === 0 && schema.items ? [sampleOf(schema.items as JsonObject, schemas, depth + 1)] : [];
    default: {
      const out: JsonObject = {};
      const props = (schema.properties ?? {}) as Record<string, JsonObject>;
      for (const name of (schema.required ?? []) as string[])
        out[name] = props[name] ? sampleOf(props[name], schemas, depth + 1) : null;
      return out;
    }
  }
}
