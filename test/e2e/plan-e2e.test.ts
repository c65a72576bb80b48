// `aidev plan` as users run it: the built binary, a temp repository, the scripted model from the fixture, and a kill
// in the middle of publishing followed by --resume.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, gitIdentity, runCli, tempDir, tempRepo } from '../helpers/temp.js';
import { TODO_PLAN_FILE, TODO_SCRIPT } from '../integration/plan-kit.js';

function setup() {
  const { dir } = tempRepo();
  const env = { AIDEV_HOME: tempDir('aidev-home-') };
  const tasks = () => (existsSync(join(dir, '.aidev/tasks')) ? readdirSync(join(dir, '.aidev/tasks')) : []);
  /** Plan key → the task files that carry it (a duplicate shows as two files for one key). */
  const byKey = () => {
    const keys = new Map<string, string[]>();
    for (const file of tasks()) {
      const key = /_Planned by aidev: plan \S+, (?:epic|task) (.+?)\._/.exec(
        readFileSync(join(dir, '.aidev/tasks', file), 'utf8'),
      )?.[1];
      if (key) keys.set(key, [...(keys.get(key) ?? []), file]);
    }
    return keys;
  };
  return { dir, env, tasks, byKey };
}

describe('aidev plan (binary)', () => {
  it('"A todo app with auth" --yes: 30 items in the local tracker, the docs page and the notice', async () => {
    const { dir, env, tasks, byKey } = setup();
    const r = await runCli(['plan', 'A todo app with auth', '--yes', '--fake-responses', TODO_SCRIPT], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(tasks()).toHaveLength(30);
    expect([...byKey().values()].every((files) => files.length === 1)).toBe(true);
    expect(r.stdout).toMatch(/^plan p-\S+: published · \$/m);
    expect(r.stdout).toContain('tracker: 5 epics, 25 tasks (30 created), 34 dependency links');
    const planId = /^plan (p-\S+):/m.exec(r.stdout)![1]!;
    expect(readFileSync(join(dir, `docs/aidev/plan/${planId}.md`), 'utf8')).toContain(
      '# Project plan: Todo app with auth',
    );
    expect(r.stderr).toContain('✔ Project plan "Todo app with auth" published: 5 epics and 25 tasks');
    expect(r.stderr).toContain(`Project plan: docs/aidev/plan/${planId}.md`);
    const setup6 = readFileSync(join(dir, '.aidev/tasks/TASK-8.md'), 'utf8');
    expect(setup6).toContain('parent: TASK-1');
    expect(setup6).toContain('depends_on:\n  - TASK-6');
  });

  it('--json prints the plan and the key → id mapping', async () => {
    const { dir, env } = setup();
    const r = await runCli(['plan', '--from-file', TODO_PLAN_FILE, '--yes', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      planId: string;
      status: string;
      plan: { epics: unknown[] };
      mapping: Record<string, string>;
    };
    expect(out.status).toBe('published');
    expect(out.plan.epics).toHaveLength(5);
    expect(Object.keys(out.mapping)).toHaveLength(30);
    expect(out.mapping.E1).toBe('TASK-1');
  });

  it('a SIGKILL mid-publish, then --resume: the rest is created and nothing twice', async () => {
    const { dir, env, tasks, byKey } = setup();
    const child = spawn(
      process.execPath,
      [
        binPath,
        'plan',
        'A todo app with auth',
        '--yes',
        '--output',
        'stream-json',
        '--fake-responses',
        TODO_SCRIPT,
      ],
      {
        cwd: dir,
        // The pause between writes only makes sure the kill lands inside the publish step.
        env: {
          ...process.env,
          CI: '1',
          NO_COLOR: '1',
          ...gitIdentity,
          ...env,
          AIDEV_TEST_PUBLISH_DELAY_MS: '100',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let planId = '';
    let created = 0;
    let buffer = '';
    const killed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const event = JSON.parse(buffer.slice(0, nl)) as { type: string; message?: string };
        buffer = buffer.slice(nl + 1);
        const match =
          event.type === 'step.progress' ? /^plan (p-\S+): created /.exec(event.message ?? '') : null;
        if (!match) continue;
        planId = match[1]!;
        if (++created === 5) child.kill('SIGKILL');
      }
    });
    expect(await killed).toBe('SIGKILL');
    expect(created).toBeGreaterThanOrEqual(5);
    const before = tasks().length;
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(30);

    const resumed = await runCli(['plan', '--resume', planId, '--yes', '--json'], { cwd: dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as {
      status: string;
      created: number;
      reused: number;
      mapping: Record<string, string>;
    };
    expect(out.status).toBe('published');
    expect(out.created + out.reused).toBe(30);
    expect(out.created).toBe(30 - before);
    expect(tasks()).toHaveLength(30);
    const keys = byKey();
    expect(keys.size).toBe(30);
    expect([...keys.values()].filter((files) => files.length > 1)).toEqual([]);
    const again = await runCli(['plan', '--resume', planId, '--yes', '--json'], { cwd: dir, env });
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'published' });
    expect(tasks()).toHaveLength(30);
  });

  it('--dry-run prints the plan and creates nothing; without --yes in CI it saves the plan and exits 4', async () => {
    const { dir, env, tasks } = setup();
    const dry = await runCli(['plan', 'A todo app with auth', '--dry-run', '--fake-responses', TODO_SCRIPT], {
      cwd: dir,
      env,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Todo app with auth: 5 epics, 25 tasks, 34 dependencies');
    expect(dry.stdout).toContain('  E2-T2  Implement sign-up with password hashing  [3]  ← E2-T1, E1-T5');
    expect(dry.stdout).toContain('would create 30 items and 34 "blocks" links');
    expect(tasks()).toHaveLength(0);
    const paused = await runCli(['plan', 'A todo app with auth', '--fake-responses', TODO_SCRIPT], {
      cwd: dir,
      env,
    });
    expect(paused.code).toBe(4);
    const planId = /^plan (p-\S+): awaiting_approval/m.exec(paused.stdout)![1]!;
    expect(paused.stderr).toContain(
      `hint: review it, then publish it with: aidev plan --resume ${planId} --yes`,
    );
    expect(tasks()).toHaveLength(0);
  });

  it('bad input: exit 2 with a message and a hint, never a stack trace', async () => {
    const { dir, env } = setup();
    const empty = await runCli(['plan', '   '], { cwd: dir, env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error: the idea is empty: there is nothing to plan');
    expect(empty.stderr).toContain('hint: describe the project');
    const missing = await runCli(['plan', '--from-file', 'nope.yaml'], { cwd: dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: cannot read nope.yaml (ENOENT)');
    for (const r of [empty, missing]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
