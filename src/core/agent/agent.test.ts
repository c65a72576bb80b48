import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeAi, type FakeAi } from '../../../providers/ai/fake/fake-ai.js';
import type { AiContentBlock, AiMessage, Task } from '../../../providers/types.js';
import { makeRepo, tempDir, type TempRepo } from '../../../test/integration/run-fixtures.js';
import { autoApprover } from '../approvals.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import type { ModelClient, StepContext } from '../engine/types.js';
import type { AidevError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { sandboxStatus } from '../security/sandbox.js';
import { createRuntime } from '../runtime.js';
import { agentStepKind } from './agent-step.js';
import { applyEdit } from './edit.js';

const SLUGIFY = "export function slugify(text) {\n  return text.toLowerCase().replace(/ /g, '-');\n}\n";
const TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { slugify } from '../src/slugify.js';",
  "test('trims', () => assert.equal(slugify('  Hello World '), 'hello-world'));",
  '',
].join('\n');
const task: Task = {
  id: 'T-1',
  type: 'bug',
  title: 'slugify keeps surrounding spaces',
  description: 'slugify("  a ") should be "a"',
  status: 'todo',
  assignee: null,
  labels: [],
  url: null,
  dependsOn: [],
};

interface Audit {
  action: string;
  decision: string;
  detail: unknown;
}

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function project(): TempRepo {
  const r = makeRepo(
    {
      'package.json': '{"type":"module"}\n',
      'src/slugify.js': SLUGIFY,
      'test/slugify.test.js': TEST,
      'src/dup.js': 'x = 1;\nx = 1;\n',
    },
    { remote: false },
  );
  repos.push(r);
  return r;
}

function clientOf(fake: FakeAi): ModelClient {
  return {
    model: fake.model,
    complete: (request, opts) => fake.complete({ ...request, maxTokens: request.maxTokens ?? 4096 }, opts),
  };
}

function stepContext(r: TempRepo, fake: FakeAi, config: ConfigInput = {}) {
  const audits: Audit[] = [];
  const progress: string[] = [];
  const state: Record<string, unknown> = { worktree: r.root };
  const ctx = {
    runId: 'r-test',
    stepId: 'code',
    attempt: 1,
    signal: new AbortController().signal,
    logger: silentLogger,
    emit: () => {},
    ledger: { path: join(r.home, 'ledger.db') },
    providers: {},
    config: configSchema.parse({
      verify: { checks: ['node --test'] },
      security: { sandbox: 'none' },
      ...config,
    }),
    runtime: createRuntime({ env: { ...process.env, AIDEV_HOME: r.home }, cwd: r.root }),
    approver: autoApprover,
    repoRoot: r.root,
    cwd: () => r.root,
    state,
    saveState: () => {},
    task: () => task,
    scope: () => ({ task, feedback: state.feedback }),
    model: () => Promise.resolve(clientOf(fake)),
    prompts: {
      exists: () => true,
      render: () => Promise.resolve({ system: 'SYSTEM', user: 'fix the task' }),
    },
    effect: () => Promise.reject(new Error('not used')),
    audit: (action: string, decision: string, detail?: unknown) => audits.push({ action, decision, detail }),
    progress: (m: string) => progress.push(m),
  } as unknown as StepContext;
  return { ctx, audits, progress };
}

const tool = (name: string, input: unknown) => ({ tool: name, input });
const fix = tool('edit_file', {
  path: 'src/slugify.js',
  old_string: 'return text.toLowerCase()',
  new_string: 'return text.trim().toLowerCase()',
});
const finish = tool('finish', { summary: 'trimmed the input' });

function toolResults(fake: FakeAi): Extract<AiContentBlock, { type: 'tool_result' }>[] {
  const last = fake.requests[fake.requests.length - 1]!;
  const all = [...last.messages];
  return all.flatMap((m: AiMessage) =>
    Array.isArray(m.content)
      ? m.content.filter(
          (b): b is Extract<AiContentBlock, { type: 'tool_result' }> => b.type === 'tool_result',
        )
      : [],
  );
}

describe('agent step', () => {
  it('reads, edits, runs the tests, finishes; checks pass; the prompt prefix is stable turn after turn', async () => {
    const r = project();
    const fake = createFakeAi([
      tool('read_file', { path: 'src/slugify.js' }),
      fix,
      tool('run_command', { command: 'node --test' }),
      finish,
    ]);
    const { ctx, audits } = stepContext(r, fake);
    const out = await agentStepKind.execute({}, {}, ctx);
    expect(out).toMatchObject({
      summary: 'trimmed the input',
      files_changed: ['src/slugify.js'],
      checks_passed: true,
      turns: 4,
    });
    expect(String(out.checks_summary)).toMatch(/node --test: passed/);
    expect(readFileSync(join(r.root, 'src/slugify.js'), 'utf8')).toContain('text.trim().toLowerCase()');
    // Caching: the same system and tools each turn, and each request's messages extend the previous one's.
    const reqs = fake.requests;
    for (let i = 1; i < reqs.length; i++) {
      expect(reqs[i]!.system).toBe(reqs[0]!.system);
      expect(JSON.stringify(reqs[i]!.tools)).toBe(JSON.stringify(reqs[0]!.tools));
      expect(JSON.stringify(reqs[i]!.messages.slice(0, reqs[i - 1]!.messages.length))).toBe(
        JSON.stringify(reqs[i - 1]!.messages),
      );
      expect(reqs[i]!.cache).toBe(true);
    }
    expect(reqs[0]!.messages[0]!.content as string).toContain('## Repository map');
    expect(
      audits.filter((a) => a.action.startsWith('tool.')).map((a) => `${a.action}:${a.decision}`),
    ).toEqual(['tool.read_file:ok', 'tool.edit_file:ok', 'tool.run_command:ok', 'tool.finish:ok']);
  });

  it('turns every bad call into an error for the model and never escapes the worktree', async () => {
    const r = project();
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
    symlinkSync(outside, join(r.root, 'link'));
    const fake = createFakeAi([
      tool('read_file', { path: '../../etc/passwd' }),
      tool('read_file', { path: 'link/secret.txt' }),
      tool('write_file', { path: '.env', content: 'X=1' }),
      tool('write_file', { path: 'keys/id_rsa', content: 'KEY' }),
      tool('run_command', { command: 'curl https://example.com' }),
      tool('run_command', { command: 'rm -rf /' }),
      tool('edit_file', { path: 'src/slugify.js', old_string: 'no such text', new_string: 'y' }),
      tool('edit_file', { path: 'src/dup.js', old_string: 'x = 1;', new_string: 'x = 2;' }),
      {
        content: [
          { type: 'tool_use', name: 'edit_file', input: '{"path": "src/slugify.js", "old_string": ' },
        ],
      },
      tool('delete_everything', {}),
      tool('read_file', { path: 42 }),
      fix,
      finish,
    ]);
    const { ctx, audits } = stepContext(r, fake);
    const out = await agentStepKind.execute({}, {}, ctx);
    expect(out.checks_passed).toBe(true);
    const results = toolResults(fake).map((t) => `${t.isError ? 'ERR' : 'ok'} ${t.content.split('\n')[0]}`);
    expect(results.slice(0, 11)).toEqual([
      expect.stringMatching(/^ERR refused: \.\.\/\.\.\/etc\/passwd is outside the worktree/),
      expect.stringMatching(/^ERR refused: link\/secret.txt leads outside the worktree/),
      expect.stringMatching(/^ERR refused: \.env is a blocked path/),
      expect.stringMatching(/^ERR refused: keys\/id_rsa is a blocked path/),
      expect.stringMatching(/^ERR refused: command refused: "curl" is in security.denied_commands/),
      expect.stringMatching(/^ERR refused: command refused: "rm -rf \/" is in security.denied_commands/),
      expect.stringMatching(/^ERR edit_file src\/slugify.js: old_string was not found/),
      expect.stringMatching(/^ERR edit_file src\/dup.js: old_string occurs 2 times \(at lines 1, 2\)/),
      expect.stringMatching(/^ERR edit_file: the tool input is not valid JSON/),
      expect.stringMatching(/^ERR unknown tool "delete_everything"/),
      expect.stringMatching(/^ERR read_file: bad arguments: path: /),
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain('TOP SECRET');
    expect(existsSync(join(r.root, '.env'))).toBe(false);
    expect(existsSync(join(r.root, 'keys'))).toBe(false);
    expect(audits.filter((a) => a.decision === 'denied')).toHaveLength(6);
  });

  it('sends failing checks back to the model, and succeeds after the fix', async () => {
    const r = project();
    const fake = createFakeAi([finish, fix, finish]);
    const { ctx, audits } = stepContext(r, fake);
    const out = await agentStepKind.execute({}, {}, ctx);
    expect(out).toMatchObject({ checks_passed: true, turns: 3 });
    const firstFinish = toolResults(fake)[0]!;
    expect(firstFinish.isError).toBe(true);
    expect(firstFinish.content).toMatch(/The checks failed \(fix round 1 of 2\)/);
    expect(firstFinish.content).toMatch(/not ok|fail/i);
    expect(audits.some((a) => a.action === 'verify' && a.decision === 'failed')).toBe(true);
  });

  it('fails after max_fix_attempts with the failing output saved', async () => {
    const r = project();
    const fake = createFakeAi([finish, finish]);
    const { ctx } = stepContext(r, fake, { verify: { checks: ['node --test'], max_fix_attempts: 1 } });
    const error = (await agentStepKind.execute({}, {}, ctx).catch((e: unknown) => e)) as AidevError;
    expect(error.code).toBe('STEP_FAILED');
    expect(error.message).toMatch(/still fail after 1 fix attempt/);
    const log = String(error.details?.checks_log);
    expect(log).toBe(join(r.home, 'logs', 'r-test', 'code-checks.log'));
    expect(readFileSync(log, 'utf8')).toMatch(/\$ node --test/);
  });

  it('says "set workspace.setup" when a check is not installed, without a model round', async () => {
    const r = project();
    const fake = createFakeAi([finish, finish]);
    const { ctx } = stepContext(r, fake, { verify: { checks: ['no-such-test-runner-xyz'] } });
    const error = (await agentStepKind.execute({}, {}, ctx).catch((e: unknown) => e)) as AidevError;
    expect(error.message).toMatch(/command not found \(exit 127\)/);
    expect(error.hint).toMatch(/set workspace.setup/);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops a stuck loop: the same failing call three times', async () => {
    const r = project();
    const same = tool('read_file', { path: 'missing.js' });
    const fake = createFakeAi([same, same, same, finish]);
    const { ctx } = stepContext(r, fake);
    await expect(agentStepKind.execute({}, {}, ctx)).rejects.toThrow(
      /stuck: it made the same failing call 3 times \(read_file/,
    );
  });

  it('stops at the turn limit', async () => {
    const r = project();
    const fake = createFakeAi([
      tool('list_files', {}),
      tool('list_files', { path: 'src' }),
      tool('list_files', { path: 'test' }),
    ]);
    const { ctx } = stepContext(r, fake);
    await expect(agentStepKind.execute({ max_turns: 2 }, {}, ctx)).rejects.toThrow(/used all 2 turns/);
  });

  it('starts a feedback round from what the worktree holds', async () => {
    const r = project();
    writeFileSync(
      join(r.root, 'src/slugify.js'),
      SLUGIFY.replace('text.toLowerCase()', 'text.trim().toLowerCase()'),
    );
    const fake = createFakeAi([tool('finish', { summary: 'added a comment as asked' })]);
    const { ctx, progress } = stepContext(r, fake);
    ctx.state.feedback = 'please also handle tabs';
    ctx.state.agent_started = true; // the first round ran before the review gate
    let vars: Record<string, unknown> = {};
    ctx.prompts = {
      exists: () => true,
      render: (_n, v) => ((vars = v), Promise.resolve({ system: 'S', user: 'U' })),
    };
    await agentStepKind.execute({}, {}, ctx);
    expect(vars.feedback).toBe('please also handle tabs');
    expect(fake.requests[0]!.messages[0]!.content as string).toMatch(
      /already holds changes .* src\/slugify.js/,
    );
    expect(progress.join('\n')).toMatch(/security.sandbox is none/);
  });

  it.skipIf(sandboxStatus('auto', process.env).mode !== 'bwrap')(
    'runs the commands and checks inside bubblewrap when it is available',
    async () => {
      const r = project();
      const fake = createFakeAi([fix, tool('run_command', { command: 'node --test' }), finish]);
      const { ctx, audits } = stepContext(r, fake, { security: { sandbox: 'auto' } });
      const out = await agentStepKind.execute({}, {}, ctx);
      expect(out.checks_passed).toBe(true);
      expect(audits.find((a) => a.action === 'agent.sandbox')?.decision).toBe('bwrap');
      expect(audits.find((a) => a.action === 'tool.run_command')?.detail).toMatchObject({
        exitCode: 0,
        sandbox: 'bwrap',
      });
    },
  );

  it('needs a worktree: it never edits the user checkout', async () => {
    const r = project();
    const { ctx } = stepContext(r, createFakeAi([finish]));
    delete ctx.state.worktree;
    await expect(agentStepKind.execute({}, {}, ctx)).rejects.toThrow(/needs the run's worktree/);
  });
});

describe('applyEdit', () => {
  it('keeps CRLF line endings', () => {
    const r = applyEdit('a\r\nb\r\nc\r\n', 'a\nb', 'a\nB');
    expect(r).toEqual({ ok: true, text: 'a\r\nB\r\nc\r\n', line: 1 });
  });
  it('points at a near match with other indentation', () => {
    const r = applyEdit('function f() {\n    return 1;\n}\n', 'return  1;', 'return 2;');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/line 2/);
  });
});
