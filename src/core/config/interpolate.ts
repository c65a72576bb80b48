// `${NAME}` and `${NAME:-default}` in config values, from the environment. A missing variable is recorded, not thrown:
// it becomes an error only when the provider that needs the value is used.

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolation {
  value: unknown;
  /** Dotted paths whose value came from `${…}`: always redacted when shown. */
  secretPaths: Set<string>;
  /** Dotted path → the missing variable it referenced (the key is removed from the value). */
  missing: Map<string, string>;
  /** Every variable name referenced, set or not. */
  refs: Set<string>;
}

export function interpolate(
  input: unknown,
  env: Readonly<Record<string, string | undefined>>,
): Interpolation {
  const secretPaths = new Set<string>();
  const missing = new Map<string, string>();
  const refs = new Set<string>();

  const visit = (value: unknown, path: string[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      let absent: string | undefined;
      const out = value.replace(REF, (_all, name: string, fallback: string | undefined) => {
        refs.add(name);
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        absent ??= name;
        return '';
      });
      if (absent) {
        missing.set(path.join('.'), absent);
        return undefined;
      }
      secretPaths.add(path.join('.'));
      return out;
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, String(i)]));
    if (value && typeof value === 'object') {
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        const next = visit(child, [...path, key]);
        if (next !== undefined) result[key] = next;
      }
      return result;
    }
    return value;
  };

  return { value: visit(input, []), secretPaths, missing, refs };
}
