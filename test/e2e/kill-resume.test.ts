// Durability, end to end through the built binary: `aidev workflow run` is SIGKILLed at every step boundary in turn
// (found through its --output stream-json events), then `aidev resume` finishes the run. Every side effect (task
// comment and status, docs page, chat message, a line a `run:` step appends) happens exactly once, and the final
// outputs equal those of a run that was never interrupted.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../helpers/temp.js';

const REAL_STEPS = [
  { id: 'get', uses: 'tasks.get', with: { id: '${inputs.task_id}' } },
  { id: 'start', uses: 'tasks.update_status', with: { status: 'in_progress' } },
  {
    id: 'note',
    run: 'echo "note for $TITLE" >> "$LOG"',
    with: { TITLE: '${task.title}', LOG: '${inputs.log}' },
  },
  { id: 'comment', uses: 'tasks.comment', with: { body: 'working on ${task.title}' } },
  {
    id: 'page',
    uses: 'docs.upsert_page',
    with: {
      key: 'task/${task.id}',
      title: '${task.title}',
      markdown: 'note exit ${steps.note.outputs.exit_code}',
    },
  },
  { id: 'notify', uses: 'chat.notify', with: { text: 'done ${task.id}' } },
  { id: 'finish', uses: 'tasks.update_status', with: { status: 'in_review' } },
];
/** A barrier before, between and after the real steps: the boundaries where the process is killed. */
const GATES = REAL_STEPS.length + 1;
const gate = (k: number) => ({
  id: `gate${k}`,
  run: 'node "$BARRIER" "$ARM" "$AIDEV_STEP_ID"',
  with: { BARRIER: '${inputs.barrier}', ARM: '${inputs.arm}' },
});
const WORKFLOW = {
  name: 'durable',
  inputs: { task_id: {}, log: {}, barrier: {}, arm: {} },
  steps: REAL_STEPS.flatMap((s, i) => [gate(i), s]).concat([gate(REAL_STEPS.length)]),
};
// Blocks while its arm file exists (and tells the test its pid); otherwise returns at once.
const BARRIER = `import { existsSync, writeFileSync } from 'node:fs';
const [arm, name] = process.argv.slice(2);
if (existsSync(arm + '/' + name)) {
  writeFileSync(arm + '/' + name + '.pid', String(process.pid));
  setTimeout(() => process.exit(0), 30000);
}
`;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aidev-kill-'));
  writeFileSync(join(root, 'barrier.mjs'), BARRIER);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Space {
  dir: string;
  env: NodeJS.ProcessEnv;
  args: string[];
  arm: string;
  log: string;
  taskFile: string;
}

function workspace(name: string): Space {
  const dir = join(root, name);
  const arm = join(dir, 'arm');
  mkdirSync(join(dir, '.aidev', 'tasks'), { recursive: true });
  mkdirSync(arm);
  writeFileSync(
    join(dir, '.aidev', 'tasks', 'TASK-1.md'),
    '---\nid: TASK-1\ntitle: Say hello\nstatus: todo\n---\n\nGreet people.\n',
  );
  writeFileSync(
    join(dir, '.aidevrc.yaml'),
    'tasks:\n  provider: local\nchat:\n  provider: console\ndocs:\n  provider: local\n',
  );
  // YAML is a superset of JSON.
  writeFileSync(join(dir, 'durable.yaml'), JSON.stringify(WORKFLOW, null, 2));
  const log = join(dir, 'effects.log');
  const inputs = { task_id: 'TASK-1', log, barrier: join(root, 'barrier.mjs'), arm };
  return {
    dir,
    arm,
    log,
    taskFile: join(dir, '.aidev', 'tasks', 'TASK-1.md'),
    env: { ...process.env, AIDEV_HOME: join(dir, 'home'), CI: '1', NO_COLOR: '1' },
    args: [
      'workflow',
      'run',
      'durable.yaml',
      '--output',
      'stream-json',
      ...Object.entries(inputs).flatMap(([k, v]) => ['--input', `${k}=${v}`]),
    ],
  };
}

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: Record<string, unknown>[];
  stderr: string;
}

/** Spawns the binary; `onEvent` may kill it. */
function aidev(
  space: Space,
  args: string[],
  onEvent?: (event: Record<string, unknown>, kill: () => void) => void,
): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: space.dir,
      env: space.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: Record<string, unknown>[] = [];
    let stderr = '';
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(line) as Record<string, unknown>;
        } catch {
          event = { type: 'not-json', line };
        }
        events.push(event);
        onEvent?.(event, () => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, events, stderr }));
  });
}

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 400 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(file)) throw new Error(`${file} never appeared`);
}

function resultOf(proc: Proc): {
  status: string;
  outputs: Record<string, unknown>;
  runId: string;
  steps: { id: string; status: string }[];
} {
  const last = proc.events.at(-1) as { type: string };
  expect(last.type, proc.stderr).toBe('result');
  return last as never;
}

/** Run ids and times differ between runs by nature; everything else must match. */
function normalized(outputs: Record<string, unknown>, runId: string): unknown {
  return JSON.parse(
    JSON.stringify(outputs)
      .split(runId)
      .join('<run>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>'),
  );
}

function effectsOf(space: Space, stderr: string) {
  const task = readFileSync(space.taskFile, 'utf8');
  const page = readFileSync(join(space.dir, 'docs', 'aidev', 'task', 'TASK-1.md'), 'utf8');
  return {
    comments: task.split('working on Say hello').length - 1,
    status: /status: (\w+)/.exec(task)?.[1],
    pageVersion: /version="(\d+)"/.exec(page)?.[1],
    notifications: stderr.split('done TASK-1').length - 1,
    notes: readFileSync(space.log, 'utf8').split('\n').filter(Boolean).length,
  };
}

const ONCE = { comments: 1, status: 'in_review', pageVersion: '1', notifications: 1, notes: 1 };
let reference: unknown;

describe('kill at every step boundary, then resume', () => {
  it('an uninterrupted run, for reference', async () => {
    const space = workspace('reference');
    const proc = await aidev(space, space.args);
    expect(proc.code, proc.stderr).toBe(0);
    const result = resultOf(proc);
    expect(result.status).toBe('succeeded');
    expect(effectsOf(space, proc.stderr)).toEqual(ONCE);
    reference = normalized(result.outputs, result.runId);
  });

  it.each(Array.from({ length: GATES }, (_, k) => k))('killed at boundary %i', async (k) => {
    const space = workspace(`kill-${k}`);
    const name = `gate${k}`;
    writeFileSync(join(space.arm, name), '');
    let runId = '';
    let barrierPid = 0;
    const killed = await aidev(space, space.args, (event, kill) => {
      if (event.type === 'run.started') runId = String(event.runId);
      if (event.type === 'step.started' && event.stepId === name) {
        // The barrier step has started: everything before it is checkpointed. Kill once it is really blocking.
        void waitFor(join(space.arm, `${name}.pid`)).then(() => {
          barrierPid = Number(readFileSync(join(space.arm, `${name}.pid`), 'utf8'));
          kill();
        });
      }
    });
    if (barrierPid) process.kill(barrierPid, 'SIGKILL');
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.events.some((e) => e.type === 'run.finished')).toBe(false);
    rmSync(join(space.arm, name));

    const resumed = await aidev(space, ['resume', runId, '--output', 'stream-json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = resultOf(resumed);
    expect(result.status).toBe('succeeded');
    expect(result.runId).toBe(runId);
    expect(result.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(effectsOf(space, killed.stderr + resumed.stderr)).toEqual(ONCE);
    expect(normalized(result.outputs, runId)).toEqual(reference);
    // The resumed process started at the boundary: it re-ran nothing before it.
    const rerun = resumed.events.filter((e) => e.type === 'step.started').map((e) => e.stepId);
    expect(rerun[0]).toBe(name);
  });
});
