// Turns zod issues into `path.to.key: message` lines with the source position and a "did you mean" for unknown keys.
import { z } from 'zod';
import type { YamlSource } from '../yaml-source.js';

export interface ConfigIssue {
  path: string;
  message: string;
  where?: string | undefined;
}

export function issuesFromZod(error: z.ZodError, schema: z.ZodType, source?: YamlSource): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const guess = closest(key, known);
        out.push({
          path: dotted(path),
          message: `unknown key${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (known: ${known.join(', ')})` : ''}`,
          where: source?.where(path),
        });
      }
      continue;
    }
    out.push({ path: dotted(issue.path), message: issue.message, where: source?.where(issue.path) });
  }
  return out;
}

export function formatIssues(issues: readonly ConfigIssue[], max = 5): string {
  const lines = issues
    .slice(0, max)
    .map((i) => `  ${i.path || '(root)'}: ${i.message}${i.where ? `  (${i.where})` : ''}`);
  if (issues.length > max) lines.push(`  and ${issues.length - max} more`);
  return lines.join('\n');
}

export function dotted(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** The keys an object schema accepts at a path (unwrapping defaults and optionals). */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const key of path) {
    node = unwrap(node);
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(key)];
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
    if (!node) return [];
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

export function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  for (;;) {
    if (
      node instanceof z.ZodDefault ||
      node instanceof z.ZodOptional ||
      node instanceof z.ZodNullable ||
      node instanceof z.ZodPrefault
    ) {
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodPipe) {
      node = node.in as z.ZodType;
    } else return node;
  }
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = distance(word.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}
