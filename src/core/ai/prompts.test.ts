import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AidevError } from '../errors.js';
import { shippedDir } from '../paths.js';
import { createPromptSource, listPrompts, renderPrompt } from './prompts.js';

const TASK = {
  id: 'TASK-7',
  title: 'Add a --dry-run flag',
  description: 'The sync command needs a dry run.',
  labels: ['cli'],
  url: null,
};
const VARS: Record<string, Record<string, unknown>> = {
  implementation_plan: { task: TASK, repo: { name: 'acme/api' }, files: 'src/sync.ts', checks: ['npm test'] },
  code_generation: {
    task: TASK,
    worktree: '/tmp/wt',
    tools: [{ name: 'finish', description: 'ends the task' }],
    checks: [],
    blocked_paths: ['.env'],
    max_turns: 40,
    plan: null,
    feedback: null,
  },
  pr_description: {
    task: TASK,
    summary: 'Added the flag.',
    diff_stat: ' src/sync.ts | 10 +',
    checks: [{ command: 'npm test', passed: true }],
    template: null,
  },
  documentation: { task: TASK, summary: 'Added the flag.', diff_stat: ' src/sync.ts | 10 +', existing: null },
  plan_project: { idea: 'A CLI for invoices', requirements: ['PDF export'], stack: ['TypeScript'] },
  commit_message: { task: TASK, summary: 'Added the flag.', diff_stat: ' src/sync.ts | 10 +' },
};

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'aidev-prompts-'));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function override(name: string, text: string, sub = ''): string {
  const dir = join(repo, '.aidev', 'prompts', sub);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.hbs`);
  writeFileSync(path, text);
  return path;
}

describe('shipped prompts', () => {
  it('ship the six templates, each rendering with its documented variables into system and user parts', () => {
    expect(listPrompts(repo).map((p) => p.name)).toEqual(Object.keys(VARS).sort());
    for (const [name, vars] of Object.entries(VARS)) {
      const rendered = renderPrompt(name, vars, repo);
      expect(rendered.source, name).toBe('shipped');
      expect(rendered.system.length, name).toBeGreaterThan(50);
      expect(rendered.user.length, name).toBeGreaterThan(20);
      expect(rendered.system + rendered.user, name).not.toMatch(/{{|}}|undefined|\[object Object\]/);
    }
  });

  it('puts the agent rules in the code_generation system prompt and the task in the first message', () => {
    const r = renderPrompt('code_generation', VARS.code_generation!, repo);
    expect(r.system).toContain('/tmp/wt');
    expect(r.system).toContain('- finish: ends the task');
    expect(r.system).toMatch(/minimal, focused change/);
    expect(r.system).toMatch(/call finish with a short summary/);
    expect(r.system).toContain('.env');
    expect(r.user).toContain('## Task TASK-7: Add a --dry-run flag');
    expect(r.user).toContain('verify.checks is empty');
  });
});

describe('strict rendering', () => {
  it('names the template and the missing variable, with what was given', () => {
    const { worktree: _, ...vars } = VARS.code_generation!;
    let error: AidevError | undefined;
    try {
      renderPrompt('code_generation', vars, repo);
    } catch (e) {
      error = e as AidevError;
    }
    expect(error).toMatchObject({
      code: 'TEMPLATE_ERROR',
      exitCode: 2,
      details: { template: 'code_generation', variable: 'worktree' },
    });
    expect(error!.message).toBe(
      'prompt template "code_generation" uses the variable "worktree" (line 5), but it was not given',
    );
    expect(error!.hint).toContain('given: blocked_paths, checks, feedback, max_turns, plan, task, tools');
  });

  it('names the full path and the partial when the variable is missing inside a partial', () => {
    expect(() =>
      renderPrompt('commit_message', { task: { id: 'T-1' }, summary: 's', diff_stat: 'd' }, repo),
    ).toThrow(/"task\.title"/);
    expect(() =>
      renderPrompt('documentation', { ...VARS.documentation, task: { id: 'T-1', description: 'x' } }, repo),
    ).toThrow(/partial "task" of template "documentation" uses the variable "task\.title"/);
  });

  it('reports an unknown template, a missing partial and a syntax error clearly', () => {
    expect(() => renderPrompt('nope', {}, repo)).toThrow(/no prompt template named "nope"/);
    expect(() => renderPrompt('../etc/passwd', {}, repo)).toThrow(/no prompt template named/);
    override('broken_partial', '{{> missing_piece}}');
    expect(() => renderPrompt('broken_partial', {}, repo)).toThrow(
      /includes the partial "missing_piece", which does not exist/,
    );
    override('bad_syntax', 'hello {{#if}}');
    expect(() => renderPrompt('bad_syntax', {}, repo)).toThrow(
      /"bad_syntax" .* cannot be rendered: Parse error/,
    );
  });
});

describe('project overrides', () => {
  it('a project template beats the shipped one, and a project partial beats the shipped partial', () => {
    const path = override('commit_message', '{{#user}}custom {{task.id}} {{> task}}{{/user}}');
    override('task', 'TASK<{{task.id}}>', 'partials');
    const info = listPrompts(repo).find((p) => p.name === 'commit_message')!;
    expect(info).toEqual({
      name: 'commit_message',
      source: 'project',
      path,
      shadows: join(shippedDir('prompts'), 'commit_message.hbs'),
    });
    const r = renderPrompt('commit_message', { task: { id: 'T-9' } }, repo);
    expect(r).toMatchObject({ source: 'project', system: '', user: 'custom T-9 TASK<T-9>' });
  });

  it('adds project-only templates; a template without sections is all user message', () => {
    override('triage', 'Triage {{task.id}}');
    const source = createPromptSource(repo);
    expect(source.exists('triage')).toBe(true);
    expect(source.exists('code_generation')).toBe(true);
    expect(source.exists('missing')).toBe(false);
    expect(renderPrompt('triage', { task: { id: 'T-1' } }, repo)).toMatchObject({
      source: 'project',
      system: '',
      user: 'Triage T-1',
    });
  });
});
