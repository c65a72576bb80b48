// Step outputs are checkpointed as JSON. Anything JSON would silently mangle (a Map, a function, NaN, a cycle) is an
// error naming the step and the place, instead of a quietly different value after resume.
import { AidevError } from '../errors.js';

export function assertJsonSafe(value: unknown, stepId: string): void {
  const problem = findProblem(value, 'outputs', new Set());
  if (problem) {
    throw new AidevError('STEP_FAILED', `step ${stepId}: ${problem}, which cannot be saved as JSON`, {
      hint: 'step outputs must be plain objects, arrays, strings, finite numbers, booleans or null',
      details: { nonRetryable: true },
    });
  }
}

function findProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean')
    return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${String(value)}`;
  if (typeof value === 'bigint') return `${path} is a bigint`;
  if (typeof value === 'function') return `${path} is a function`;
  if (typeof value === 'symbol') return `${path} is a symbol`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  if (seen.has(value)) return `${path} refers back to itself`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = findProblem(value[i], `${path}[${i}]`, seen);
        if (p) return p;
      }
      return undefined;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (value instanceof Date) return undefined;
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      return `${path} is a ${name}`;
    }
    for (const [key, child] of Object.entries(value)) {
      const p = findProblem(child, `${path}.${key}`, seen);
      if (p) return p;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
