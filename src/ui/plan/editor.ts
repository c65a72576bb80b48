// Edit the plan in $EDITOR: write it as YAML to a temp file, wait for the editor, read it back and validate it. An
// editor that cannot start or exits non-zero leaves the plan as it was; a plan with problems comes back with
// file:line:col for each, and the person's text is kept so the next edit starts from it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEditedPlan, planToYaml, type LocatedIssue } from '../../core/plan/edit.js';
import type { Plan } from '../../core/plan/schema.js';

export type EditOutcome =
  | { ok: true; plan: Plan }
  | {
      ok: false;
      message: string;
      issues: LocatedIssue[];
      /** The edited text, to reopen. */ text: string | null;
    };

export interface EditOptions {
  env: Readonly<Record<string, string | undefined>>;
  maxTasks: number;
  /** Start from this text instead of the plan (the last edit, when it had problems). */
  text?: string | null | undefined;
  /** Where the temp file goes (tests). */
  dir?: string | undefined;
}

export function editorCommand(env: Readonly<Record<string, string | undefined>>): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

export function editPlan(plan: Plan, options: EditOptions): EditOutcome {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'aidev-plan-'));
  const file = join(dir, 'plan.yaml');
  try {
    writeFileSync(file, options.text ?? planToYaml(plan));
    const editor = editorCommand(options.env);
    // $EDITOR may carry arguments (`code --wait`), so it goes through the shell, with the path quoted.
    const run = spawnSync(`${editor} '${file.replaceAll("'", "'\\''")}'`, {
      shell: true,
      stdio: 'inherit',
      env: { ...options.env },
    });
    if (run.error)
      return {
        ok: false,
        message: `cannot start the editor "${editor}" (${run.error.message}); the plan is unchanged. Set $EDITOR.`,
        issues: [],
        text: null,
      };
    if (run.status !== 0) {
      const how =
        run.status === null ? `was stopped by ${run.signal ?? 'a signal'}` : `exited with code ${run.status}`;
      return {
        ok: false,
        message: `the editor "${editor}" ${how}; the plan is unchanged`,
        issues: [],
        text: null,
      };
    }
    const text = readFileSync(file, 'utf8');
    const parsed = parseEditedPlan(text, 'plan.yaml', { minTasks: 1, maxTasks: options.maxTasks });
    if (parsed.ok) return parsed;
    return {
      ok: false,
      message: `the edited plan has ${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'}; the previous plan is kept (press e to fix them)`,
      issues: parsed.issues,
      text,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
