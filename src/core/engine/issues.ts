// Workflow problems with their place in the file: `file:line:col: message` plus a hint, all collected before reporting.
import type { z } from 'zod';
import { AidevError } from '../errors.js';
import { closest, knownKeys } from '../config/issues.js';
import type { YamlSource } from '../yaml-source.js';

export interface WorkflowIssue {
  file: string;
  line: number;
  col: number;
  message: string;
  hint?: string | undefined;
}

export class IssueList {
  readonly items: WorkflowIssue[] = [];
  constructor(readonly source: YamlSource) {}

  add(path: readonly (string | number)[], message: string, hint?: string): void {
    const pos = this.source.positionOf(path) ?? { line: 1, col: 1 };
    this.items.push({ file: this.source.file, line: pos.line, col: pos.col, message, hint });
  }

  /** zod issues of `schema` parsed at `base` (unknown keys get a "did you mean"). */
  addZod(base: readonly (string | number)[], error: z.ZodError, schema: z.ZodType, what = ''): void {
    for (const issue of error.issues) {
      const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(schema, issue.path);
        for (const key of issue.keys) {
          const guess = closest(key, known);
          this.add(
            [...path, key],
            `unknown key "${key}"${what ? ` in ${what}` : ''}${guess ? ` (did you mean "${guess}"?)` : ''}`,
            known.length ? `known keys: ${known.join(', ')}` : undefined,
          );
        }
        continue;
      }
      const label = issue.path.length
        ? issue.path.join('.')
        : (base.filter((p) => typeof p === 'string').slice(-1)[0] ?? '');
      const prefix = label && !issue.message.startsWith(label) ? `${label}: ` : '';
      this.add(path, prefix + issue.message);
    }
  }

  get length(): number {
    return this.items.length;
  }

  sorted(): WorkflowIssue[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.col - b.col);
  }
}

export function formatIssue(issue: WorkflowIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}${issue.hint ? `\n    hint: ${issue.hint}` : ''}`;
}

export function workflowInvalid(file: string, issues: readonly WorkflowIssue[]): AidevError {
  const n = issues.length;
  return new AidevError(
    'WORKFLOW_INVALID',
    `${file}: ${n} problem${n === 1 ? '' : 's'}\n${issues.map((i) => '  ' + formatIssue(i)).join('\n')}`,
    {
      hint: 'fix the lines above; `aidev workflow validate <file>` checks a file without running it',
      details: { issues },
    },
  );
}
