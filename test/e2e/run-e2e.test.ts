// `aidev run` through the built binary, as a user runs it: a temp repo with a bare remote, the local providers and
// the scripted model. Then durability: a copy of standard_dev with a barrier between every two steps is SIGKILLed at
// each boundary in turn, and `aidev resume` must still end with exactly one commit, one PR and one comment.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { binPath, repoRoot as packageRoot } from '../helpers/temp.js';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  type TempRepo,
} from '../integration/run-fixtures.js';

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

/** standard_dev's model calls, step by step: the plan, the agent's turns, the PR description, the docs page. */
const RESPONSES: Record<string, unknown[]> = {
  plan: [{ text: '1. Trim the input in src/slugify.js.\n2. Run node --test.' }],
  implement: SLUG_SCRIPT,
  pr_body: [{ text: 'Trims input in slugify so surrounding spaces no longer become dashes.' }],
  doc_text: [{ text: '# slugify\n\n`slugify` now ignores surrounding spaces.' }],
};
const MODEL_STEPS = Object.keys(RESPONSES);

function script(dir: string, name: string, steps: string[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    steps
      .flatMap((s) => RESPONSES[s] ?? [])
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );
  return file;
}

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: Record<string, unknown>[];
}

function aidev(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onEvent?: (e: Record<string, unknown>, kill: () => void) => void,
): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: { ...env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let buffer = '';
    const events: Record<string, unknown>[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!onEvent) return;
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        try {
          const event = JSON.parse(line) as Record<string, unknown>;
          events.push(event);
          onEvent(event, () => child.kill('SIGKILL'));
        } catch {
          // not an event line
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, events }));
  });
}

function project(): { r: TempRepo; env: NodeJS.ProcessEnv; taskFile: string } {
  const r = makeRepo({
    ...SLUG_PROJECT,
    '.aidevrc.yaml': 'ai:\n  provider: fake\nverify:\n  checks: ["node --test"]\n',
  });
  repos.push(r);
  r.write(
    '.aidev/tasks/TASK-1.md',
    '---\nid: TASK-1\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nslugify("  a b ") should give "a-b".\n',
  );
  return {
    r,
    env: { ...gitEnvForTests, AIDEV_HOME: r.home },
    taskFile: join(r.root, '.aidev', 'tasks', 'TASK-1.md'),
  };
}

/** Exactly-once outcome of a finished run of TASK-1. */
function outcome(r: TempRepo, taskFile: string, runId: string) {
  const log = sh(r.remote!, ['log', '--format=%B%x00', 'main..feature/TASK-1'])
    .split('\0')
    .filter((m) => m.trim());
  const prDir = join(r.root, '.aidev', 'pull-requests');
  const task = readFileSync(taskFile, 'utf8');
  return {
    commits: log.length,
    trailer: log.every((m) => m.includes(`Aidev-Run: ${runId}`)),
    prs: existsSync(prDir) ? readdirSync(prDir).length : 0,
    comments: task.split('Pull request: ').length - 1,
    status: /status: (\w+)/.exec(task)?.[1],
  };
}
const ONCE = { commits: 1, trailer: true, prs: 1, comments: 1, status: 'in_review' };

describe.skipIf(!existsSync(binPath))('aidev run, end to end through the binary', () => {
  it('branch on the remote with one commit carrying the trailer, the PR record, the task in review with the PR link, the docs page, the ledger cost', async () => {
    const { r, env, taskFile } = project();
    const file = script(r.dir, 'script.jsonl', MODEL_STEPS);
    const proc = await aidev(r.root, ['run', 'TASK-1', '--yes', '--json', '--fake-responses', file], env);
    expect(proc.code, proc.stderr).toBe(0);
    const result = JSON.parse(proc.stdout) as {
      runId: string;
      branch: string;
      commit: string;
      prUrl: string;
      costUsd: number;
      status: string;
    };
    expect(result).toMatchObject({ status: 'succeeded', branch: 'feature/TASK-1' });
    expect(result.costUsd).toBeGreaterThan(0);
    expect(sh(r.remote!, ['rev-parse', 'feature/TASK-1']).trim()).toBe(result.commit);
    expect(outcome(r, taskFile, result.runId)).toEqual(ONCE);
    expect(readFileSync(taskFile, 'utf8')).toContain(`Pull request: ${result.prUrl}`);
    expect(readFileSync(result.prUrl, 'utf8')).toMatch(/state: open[\s\S]*Trims input in slugify/);
    const docsPage = [join(r.root, 'docs', 'aidev', 'task', 'TASK-1.md')].find(existsSync) ?? '';
    const onBranch = sh(r.remote!, ['ls-tree', '-r', '--name-only', 'feature/TASK-1']).includes(
      'docs/aidev/task/TASK-1.md',
    );
    expect(onBranch || readFileSync(docsPage, 'utf8').includes('ignores surrounding spaces')).toBe(true);
    const shown = await aidev(r.root, ['runs', 'show', result.runId, '--json'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const row = JSON.parse(shown.stdout) as {
      run?: { status: string; costUsd: number };
      status?: string;
      costUsd?: number;
    };
    const run = row.run ?? (row as { status: string; costUsd: number });
    expect(run.status).toBe('succeeded');
    expect(run.costUsd).toBeCloseTo(result.costUsd, 10);
  });

  it('says what went wrong without a stack trace: an unknown task id, and a folder that is not a repository', async () => {
    const { r, env } = project();
    const unknown = await aidev(r.root, ['run', 'TASK-404', '--yes'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: .*TASK-404/m);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const outside = join(r.dir, 'plain');
    mkdirSync(outside);
    const notRepo = await aidev(outside, ['run', 'TASK-1', '--yes'], env);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/is not inside a git repository\n\s+hint: /);
  });
});

// ---- durability: SIGKILL at each step boundary, then resume

const BARRIER = `import { existsSync, writeFileSync } from 'node:fs';
const [arm, name] = process.argv.slice(2);
if (existsSync(arm + '/' + name)) {
  writeFileSync(arm + '/' + name + '.pid', String(process.pid));
  setTimeout(() => process.exit(0), 30000);
}
`;

interface WorkflowStep {
  id: string;
  [key: string]: unknown;
}

/** standard_dev as shipped, with a barrier step before, between and after its steps: the kill points. */
function barrierWorkflow(dir: string): { file: string; gates: string[]; steps: string[] } {
  const shipped = parse(readFileSync(join(packageRoot, 'workflows', 'standard_dev.yaml'), 'utf8')) as {
    inputs: Record<string, unknown>;
    steps: WorkflowStep[];
  };
  const barrier = join(dir, 'barrier.mjs');
  writeFileSync(barrier, BARRIER);
  const gate = (k: number): WorkflowStep => ({
    id: `gate${k}`,
    run: 'node "$BARRIER" "$ARM" "$AIDEV_STEP_ID"',
    with: { BARRIER: barrier, ARM: join(dir, 'arm') },
  });
  const steps = shipped.steps.flatMap((s, i) => [gate(i), s]).concat([gate(shipped.steps.length)]);
  const file = join(dir, 'standard_dev_gated.yaml');
  writeFileSync(file, stringify({ ...shipped, name: 'standard_dev_gated', steps }));
  return {
    file,
    gates: steps.filter((s) => s.id.startsWith('gate')).map((s) => s.id),
    steps: shipped.steps.map((s) => s.id),
  };
}

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(file)) throw new Error(`${file} never appeared`);
}

describe.skipIf(!existsSync(binPath))('SIGKILL at every step boundary, then aidev resume', () => {
  const probe = makeRepo({});
  repos.push(probe);
  const { gates, steps } = barrierWorkflow(probe.dir);

  it.each(gates.map((g, k) => [k, g] as const))('killed at boundary %i (%s)', async (k, gate) => {
    const { r, env, taskFile } = project();
    const { file } = barrierWorkflow(r.dir);
    mkdirSync(join(r.dir, 'arm'));
    writeFileSync(join(r.dir, 'arm', gate), '');
    let runId = '';
    let barrierPid = 0;
    const killed = await aidev(
      r.root,
      [
        'run',
        'TASK-1',
        '--yes',
        '--workflow',
        file,
        '--output',
        'stream-json',
        '--fake-responses',
        script(r.dir, 'all.jsonl', MODEL_STEPS),
      ],
      env,
      (event, kill) => {
        if (event.type === 'run.started') runId = String(event.runId);
        if (event.type === 'step.started' && event.stepId === gate) {
          void waitFor(join(r.dir, 'arm', `${gate}.pid`)).then(() => {
            barrierPid = Number(readFileSync(join(r.dir, 'arm', `${gate}.pid`), 'utf8'));
            kill();
          });
        }
      },
    );
    if (barrierPid) process.kill(barrierPid, 'SIGKILL');
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    rmSync(join(r.dir, 'arm', gate));

    // The resumed process replays only what the steps still to run will ask the model.
    const remaining = MODEL_STEPS.filter((s) => steps.indexOf(s) >= k);
    const resumed = await aidev(r.root, ['resume', runId, '--yes', '--json'], {
      ...env,
      AIDEV_FAKE_RESPONSES: script(r.dir, 'rest.jsonl', remaining),
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(outcome(r, taskFile, runId)).toEqual(ONCE);
  });
});
