import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp.js';
import { todoPlan } from '../../../test/integration/plan-kit.js';
import { editorCommand, editPlan } from './editor.js';

/** An "editor": a shell script run on the plan file, like a person would. */
function editor(body: string): string {
  const path = join(tempDir(), 'fake-editor.sh');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const env = (EDITOR: string) => ({ PATH: process.env.PATH, EDITOR });

describe('editPlan', () => {
  it('round-trips through $EDITOR and validates the result', () => {
    const ed = editor(`sed -i 's/^  name: Todo app with auth$/  name: Todo app, reviewed/' "$1"`);
    const outcome = editPlan(todoPlan(), { env: env(ed), maxTasks: 200 });
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.plan.project.name).toBe('Todo app, reviewed');
    expect(outcome.ok && outcome.plan.epics).toHaveLength(5);
  });

  it('keeps the plan when the editor exits non-zero or cannot start', () => {
    const failing = editPlan(todoPlan(), { env: env(editor('exit 3')), maxTasks: 200 });
    expect(failing).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^the editor ".*fake-editor\.sh" exited with code 3; the plan is unchanged$/,
      ) as unknown,
      issues: [],
      text: null,
    });
    const missing = editPlan(todoPlan(), { env: env('/nonexistent/editor'), maxTasks: 200 });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.message).toMatch(
      /^the editor "\/nonexistent\/editor" exited with code 127; the plan is unchanged$/,
    );
  });

  it('returns the problems with plan.yaml:line:col and the text to reopen', () => {
    const ed = editor(`sed -i 's/^\\( *\\)- E1-T1$/\\1- NOPE/' "$1"`);
    const outcome = editPlan(todoPlan(), { env: env(ed), maxTasks: 200 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/^the edited plan has \d+ problems?; the previous plan is kept/);
    expect(outcome.issues[0]!.where).toMatch(/^plan\.yaml:\d+:\d+$/);
    expect(outcome.issues[0]!.message).toContain('depends on "NOPE"');
    expect(outcome.text).toContain('- NOPE');
    const reopened = editPlan(todoPlan(), {
      env: env(editor(`sed -i 's/- NOPE$/- E1-T1/' "$1"`)),
      maxTasks: 200,
      text: outcome.text,
    });
    expect(reopened.ok).toBe(true);
  });

  it('prefers $VISUAL, then $EDITOR, then vi', () => {
    expect(editorCommand({ VISUAL: 'code --wait', EDITOR: 'nano' })).toBe('code --wait');
    expect(editorCommand({ EDITOR: 'nano' })).toBe('nano');
    expect(editorCommand({})).toBe('vi');
  });
});
