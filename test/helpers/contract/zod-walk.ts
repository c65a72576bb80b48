// Strictness for SDK-shipped zod contracts: the SDKs' object schemas are loose (extra keys pass), so a typo'd field
// in a request, or an invented one in a fake's answer, would go unnoticed. `unknownKeys` walks a schema beside a value
// and names every key no object schema declares; `strict()` turns that into zod issues, for use with startZodFake.
import type { z } from 'zod';

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def | undefined =>
  (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

export function unknownKeys(schema: z.ZodType, value: unknown, path = '', depth = 0): string[] {
  const def = defOf(schema);
  if (!def || depth > 60 || value === null || value === undefined) return [];
  switch (def.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [];
      const shape = def.shape as Record<string, z.ZodType>;
      const out: string[] = [];
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(key in shape)) {
          // An object with a typed catchall (e.g. custom fields) declares every other key through it.
          const catchall = defOf(def.catchall);
          if (catchall && !['unknown', 'any'].includes(catchall.type))
            out.push(...unknownKeys(def.catchall as z.ZodType, v, `${path}.${key}`, depth + 1));
          else out.push(`${path}.${key}`);
        } else out.push(...unknownKeys(shape[key]!, v, `${path}.${key}`, depth + 1));
      }
      return out;
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => unknownKeys(def.element as z.ZodType, v, `${path}[${i}]`, depth + 1))
        : [];
    case 'record':
      return typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
            unknownKeys(def.valueType as z.ZodType, v, `${path}.${k}`, depth + 1),
          )
        : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return unknownKeys(def.innerType as z.ZodType, value, path, depth + 1);
    case 'lazy':
      return unknownKeys((def.getter as () => z.ZodType)(), value, path, depth + 1);
    case 'pipe':
      return unknownKeys(def.in as z.ZodType, value, path, depth + 1);
    case 'union': {
      // The branch the value parses as, preferring the one that leaves fewest keys unexplained.
      const options = (def.options as z.ZodType[]).filter((o) => o.safeParse(value).success);
      const results = options.map((o) => unknownKeys(o, value, path, depth + 1));
      return results.sort((a, b) => a.length - b.length)[0] ?? [];
    }
    case 'intersection': {
      const left = unknownKeys(def.left as z.ZodType, value, path, depth + 1);
      const right = new Set(unknownKeys(def.right as z.ZodType, value, path, depth + 1));
      return left.filter((k) => right.has(k));
    }
    default:
      return [];
  }
}

/** `schema`, plus an issue for every key it does not declare. */
export function strict<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    for (const path of unknownKeys(schema, value))
      ctx.addIssue({ code: 'custom', message: `${path.slice(1)} is not a documented key`, path: [] });
  });
}
