// Bad input through a whole `aidev run` (issue 14): a setup command that fails, a check that hangs, a check that
// prints 50 MB, a repo with no checks, a check whose program is missing. Each ends with a clear message, and nothing
// is lost (the ledger has the run, the worktree is kept, the user's checkout is untouched). Real git, the real
// standard_dev, the fake model.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AiRequest } from '../../providers/types.js';
import { formatRunDetails } from '../../src/cli/actions/run.js';
import { runDoctor } from '../../src/commands/doctor.js';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import { ExitCode } from '../../src/core/errors.js';
import { openLedger } from '../../src/core/ledger/index.js';
import type { Ledger } from '../../src/core/ledger/types.js';
import { sandboxStatus } from '../../src/core/security/index.js';
import { gitEnvForTests, makeRepo, SLUG_PROJECT, writeScript, type TempRepo } from './run-fixtures.js';

/** Nothing `aidev init` or doctor would detect a check from: no package.json, no pyproject, no Makefile. */
const PLAIN: Record<string, string> = {
  'README.md': '# slug\n',
  'src/slugify.js': SLUG_PROJECT['src/slugify.js']!,
  '.gitignore': '.aidev/\n',
};

/** Passes on the base; once the change adds HANG, waits forever with two children, as a stuck test server does. */
const HANG_CHECK = `import { spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
const [token, pids] = process.argv.slice(2);
if (!existsSync('HANG')) process.exit(0);
const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
const stubborn = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)', token], { stdio: 'ignore' });
if (pids) appendFileSync(pids, [process.pid, sleeper.pid, stubborn.pid].join('\\n') + '\\n');
// A graceful shutdown: exit 0 on SIGTERM, which must not read as "passed".
process.on('SIGTERM', () => process.exit(0));
console.log('waiting for a server that never answers');
setInterval(() => {}, 1000);
`;

/** Passes on the base; once the change adds SPEW, prints 50 MB of 1 KB lines between two markers and fails. */
const SPEW_CHECK = `import { existsSync } from 'node:fs';
if (!existsSync('SPEW')) process.exit(0);
const line = 'x'.repeat(1023) + '\\n';
process.stdout.write('THE-START-MARKER\\n');
for (let i = 0; i < 51200; i++) process.stdout.write(line);
process.stdout.write('THE-END-MARKER\\n');
process.exitCode = 1;
`;

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function project(config: string, extra: Record<string, string> = {}) {
  const r = makeRepo({ ...PLAIN, ...extra, '.aidevrc.yaml': config });
  repos.push(r);
  for (const n of [1, 2])
    r.write(
      `.aidev/tasks/TASK-${n}.md`,
      `---\nid: TASK-${n}\ntitle: slugify trims\nstatus: todo\n---\n\nTrim.\n`,
    );
  return { r, env: { ...gitEnvForTests, AIDEV_HOME: r.home } };
}

const finish = { tool: 'finish', input: { summary: 'done' } };
const writes = (path: string) => [{ tool: 'write_file', input: { path, content: 'x\n' } }, finish];
const EDIT = [
  {
    tool: 'edit_file',
    input: {
      path: 'src/slugify.js',
      old_string: 'return text.toLowerCase()',
      new_string: 'return text.trim().toLowerCase()',
    },
  },
  finish,
];
const script = (agent: unknown[]): unknown[] => [
  { text: '1. Trim the input.' },
  ...agent,
  { text: 'Trims input in slugify.' },
  { text: '# slugify\n\nTrims input.' },
];

async function run(
  r: TempRepo,
  env: Record<string, string | undefined>,
  lines: unknown[],
  extra: { id?: string; noBaseline?: boolean } = {},
): Promise<RunSummary> {
  const id = extra.id ?? 'TASK-1';
  const result = await runRun(
    {
      cwd: r.root,
      env,
      ids: [id],
      fakeResponses: writeScript(r.dir, lines, `${id}.jsonl`),
      noBaseline: extra.noBaseline,
    },
    { approver: autoApprover },
  );
  if (result.kind !== 'runs') throw new Error('expected runs');
  return result.runs[0]!;
}

function withLedger<T>(r: TempRepo, read: (ledger: Ledger) => T): T {
  const ledger = openLedger({ home: r.home });
  try {
    return read(ledger);
  } finally {
    ledger.close();
  }
}

/** The saved failing output the run's hint points at. */
function checksLog(summary: RunSummary): string {
  const file = /the failing output is in (\S+)$/.exec(summary.error?.hint ?? '')?.[1];
  expect(file, summary.error?.hint).toBeDefined();
  return readFileSync(file!, 'utf8');
}

/** The tool results the fake model received, from its AIDEV_FAKE_RECORD file. */
function toolResults(record: string): string[] {
  const requests = readFileSync(record, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AiRequest);
  return requests.flatMap((q) =>
    q.messages.flatMap((m) =>
      typeof m.content === 'string'
        ? []
        : m.content.flatMap((b) => (b.type === 'tool_result' ? [b.content] : [])),
    ),
  );
}

/** Alive and not a zombie (a killed orphan waits for init to reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Processes whose command line holds `token`, read from /proc (pids inside a sandbox are not the host's). */
function withToken(token: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(token) && alive(Number(d));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Waits (bounded) for reaping to catch up; what is asserted is that nothing is left, not how fast. */
async function settled(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((done) => setTimeout(done, 50));
  return check();
}

describe('a setup command that fails', () => {
  it('stops the run before a single model call, with the command, its exit code, the output tail and a hint; keeps the worktree; leaves the checkout alone', async () => {
    const setup = `node -e "console.log('resolving dependencies'); console.error('npm ERR! 404 Not Found - left-pad@9.9.9'); process.exit(3)"`;
    const { r, env } = project(
      `workspace:\n  setup: ${JSON.stringify([setup])}\nverify:\n  checks: ["node --version"]\nsecurity:\n  sandbox: none\n`,
    );
    const head = r.git('rev-parse', 'HEAD');
    const failed = await run(r, env, script(EDIT));
    expect(failed.status).toBe('failed');
    expect(failed.exitCode).toBe(ExitCode.failure);
    expect(failed.error!.message).toContain(`workspace.setup command "${setup}" exited with code 3`);
    expect(failed.error!.message).toMatch(
      /resolving dependencies\nnpm ERR! 404 Not Found - left-pad@9\.9\.9$/,
    );
    expect(failed.error!.hint).toContain(`run it yourself in ${failed.worktree} (the worktree is kept)`);
    expect(failed.error!.hint).toMatch(/fix workspace\.setup in \.aidevrc\.yaml and `aidev resume`/);
    expect(failed.worktreeKept).toBe(true);
    expect(existsSync(join(failed.worktree!, 'src/slugify.js'))).toBe(true);
    expect(formatRunDetails(failed)).toContain(`worktree kept: ${failed.worktree}`);

    withLedger(r, (ledger) => {
      expect(ledger.getRun(failed.runId)).toMatchObject({ status: 'failed', error: { code: 'STEP_FAILED' } });
      const steps = ledger.listSteps(failed.runId);
      expect(steps.find((s) => s.stepId === 'branch')).toMatchObject({ status: 'failed' });
      expect(steps.find((s) => s.stepId === 'branch')!.error!.message).toContain('exited with code 3');
      expect(steps.some((s) => s.stepId === 'implement')).toBe(false);
      expect(ledger.listModelCalls(failed.runId)).toHaveLength(0);
    });
    // The user's own checkout: same commit, same branch, no change; the run's branch stays for `aidev resume`.
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('branch', '--show-current').trim()).toBe('main');
    expect(r.git('status', '--porcelain')).toBe('');
    expect(r.git('branch', '--list', failed.branch!)).toContain(failed.branch!);
  });
});

describe('a check that hangs', () => {
  it('the change makes it hang: killed after verify.timeout with its whole process group, and the run fails saying so', async () => {
    const token = `aidev-hang-${randomUUID()}`;
    const { r, env } = project('', { 'check.mjs': HANG_CHECK });
    const pidFile = join(r.dir, 'pids');
    r.write(
      '.aidevrc.yaml',
      `verify:\n  checks: ["exec node check.mjs ${token} ${pidFile}"]\n  timeout: 2\n  max_fix_attempts: 0\nsecurity:\n  sandbox: none\n`,
    );
    const failed = await run(r, env, script(writes('HANG')));
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toMatch(
      /: timed out after 2 s \(verify\.timeout\), killed with its child processes/,
    );
    const log = checksLog(failed);
    expect(log).toContain('waiting for a server that never answers');
    expect(log).toContain('[timed out after 2 s: the command and its children were killed]');

    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(3);
    expect(await settled(() => pids.every((p) => !alive(p)))).toBe(true);
    expect(withToken(token)).toEqual([]);
    withLedger(r, (ledger) => {
      // It passed on the base: the hang is the change's, not pre-existing.
      const baseline = ledger.listAudit(failed.runId).find((a) => a.action === 'verify.baseline');
      expect(baseline?.detail).toMatchObject({ checks: [{ exitCode: 0, timedOut: false }] });
      // plan, write_file, finish: no fix round (max_fix_attempts: 0)
      expect(ledger.listModelCalls(failed.runId)).toHaveLength(3);
    });
  });

  it('it hangs on the base too: pre-existing, said plainly in the run and the PR, and the timed-out baseline is not cached', async () => {
    const hang = 'node -e "setInterval(() => {}, 1000)"';
    const { r, env } = project(
      `verify:\n  checks: [${JSON.stringify(hang)}]\n  timeout: 1\n  max_fix_attempts: 0\nsecurity:\n  sandbox: none\n`,
    );
    const first = await run(r, env, script(EDIT));
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.baseline).toMatch(/TIMES OUT ON THE BASE already \(verify\.timeout\), pre-existing$/);
    expect(first.checks).toBe(
      `${hang}: timed out after 1 s (verify.timeout), killed with its child processes, as it did on the base: pre-existing, so this check verified nothing`,
    );
    const body = readFileSync(first.prUrl!, 'utf8');
    expect(body).toContain(`| \`${hang}\` | timed out | timed out after 1 s`);
    expect(body).toContain(`- \`${hang}\` (timed out)`);

    const second = await run(r, env, script(EDIT), { id: 'TASK-2' });
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    withLedger(r, (ledger) => {
      for (const id of [first.runId, second.runId]) {
        const baseline = ledger.listAudit(id).filter((a) => a.action === 'verify.baseline');
        expect(baseline.map((a) => a.decision)).toEqual(['ran']);
      }
    });
  });

  const bwrap = sandboxStatus('auto', process.env);
  it.runIf(bwrap.mode === 'bwrap')(
    'in the bubblewrap sandbox (its own session and pid namespace) nothing outlives the timeout either',
    async () => {
      const token = `aidev-hang-${randomUUID()}`;
      const { r, env } = project('', { 'check.mjs': HANG_CHECK });
      r.write(
        '.aidevrc.yaml',
        `verify:\n  checks: ["exec node check.mjs ${token}"]\n  timeout: 2\n  max_fix_attempts: 0\nsecurity:\n  sandbox: bwrap\n`,
      );
      const failed = await run(r, env, script(writes('HANG')));
      expect(failed.status).toBe('failed');
      expect(failed.error!.message).toMatch(/timed out after 2 s \(verify\.timeout\)/);
      expect(await settled(() => withToken(token).length === 0)).toBe(true);
    },
  );
});

describe('a check that prints 50 MB', () => {
  it('keeps the configured limit of it, head and tail, in the saved log and in what the model is shown', async () => {
    const limit = 12_000;
    const { r, env } = project(
      `verify:\n  checks: ["node check.mjs"]\n  max_fix_attempts: 1\nagent:\n  output_limit: ${limit}\nsecurity:\n  sandbox: none\n`,
      { 'check.mjs': SPEW_CHECK },
    );
    const record = join(r.dir, 'requests.jsonl');
    const failed = await run(r, { ...env, AIDEV_FAKE_RECORD: record }, script([...writes('SPEW'), finish]));
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toMatch(
      /still fail after 1 fix attempt:\nnode check\.mjs: failed with exit code 1/,
    );

    const log = checksLog(failed);
    expect(log.length).toBeLessThan(limit + 300);
    expect(log).toMatch(/^\$ node check\.mjs\n.*\nTHE-START-MARKER\nx{1023}\n/);
    expect(log).toMatch(/\nx{1023}\nTHE-END-MARKER\n$/);
    const omitted = Number(/\n… \[(\d+) characters omitted\] …\n/.exec(log)?.[1]);
    // Every one of the 52,428,800 characters went through; all but the limit were dropped on the way.
    expect(omitted + limit).toBe('THE-START-MARKER\n'.length + 51200 * 1024 + 'THE-END-MARKER\n'.length);

    // What the model was shown in its fix round: the same cap, the tail kept.
    const shown = toolResults(record).find((c) => c.startsWith('The checks failed (fix round 1 of 1)'));
    expect(shown).toBeDefined();
    expect(shown!.length).toBeLessThanOrEqual(2 * limit);
    expect(shown).toContain('THE-START-MARKER');
    expect(shown).toContain('characters omitted');
    expect(shown).toMatch(/\nTHE-END-MARKER$/);
  });
});

describe('a repo with no checks', () => {
  it('doctor warns naming verify.checks; the run proceeds, succeeds, and the PR body says nothing verified it', async () => {
    const { r, env } = project('security:\n  sandbox: none\n');
    const doctor = await runDoctor({
      cwd: r.root,
      env: { ...env, AIDEV_NO_CONFIG_CACHE: '1' },
      offline: true,
    });
    const checks = doctor.checks.find((c) => c.name === 'checks');
    expect(checks).toMatchObject({
      state: 'warn',
      detail: expect.stringContaining('verify.checks is empty'),
    });
    expect(checks!.hint).toMatch(/aidev init.*verify\.checks/);
    expect(doctor.checks.some((c) => c.name === 'detected checks')).toBe(false);

    const done = await run(r, env, script(EDIT));
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.checks).toBe('no checks configured (verify.checks is empty)');
    expect(readFileSync(done.prUrl!, 'utf8')).toContain(
      'No checks are configured (verify.checks is empty): nothing verified this change.',
    );
  });
});

describe('a check whose program is not installed, found at verify time (--no-baseline)', () => {
  it('exit 127 says set workspace.setup or install the tool, and spends no model fix round', async () => {
    const { r, env } = project(
      'verify:\n  checks: ["no-such-tool-q14 --version"]\n  max_fix_attempts: 2\nsecurity:\n  sandbox: none\n',
    );
    const failed = await run(r, env, script([...EDIT, finish, finish]), { noBaseline: true });
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toBe(
      'the check "no-such-tool-q14 --version" could not run: command not found (exit 127)',
    );
    expect(failed.error!.hint).toMatch(/^set workspace\.setup in \.aidevrc\.yaml .* or install the tool/);
    expect(failed.error!.hint).toMatch(/not something the model can fix/);
    expect(checksLog(failed)).toMatch(/no-such-tool-q14: (command )?not found/);
    withLedger(r, (ledger) => {
      // plan, edit_file, finish: the two spare finishes of a fix round were never asked for
      expect(ledger.listModelCalls(failed.runId)).toHaveLength(3);
      expect(ledger.listAudit(failed.runId).some((a) => a.action === 'verify')).toBe(false);
    });
  });
});
