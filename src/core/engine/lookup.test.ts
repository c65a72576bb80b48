import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, workflowFrom } from '../../../test/helpers/engine.js';
import { checkInputs, startRun } from './executor.js';
import { listWorkflows, resolveWorkflow } from './lookup.js';

const repos: string[] = [];
afterEach(() => {
  while (repos.length) rmSync(repos.pop()!, { recursive: true, force: true });
});
const tempRepo = (): string => {
  const repo = mkdtempSync(join(tmpdir(), 'aidev-lookup-'));
  repos.push(repo);
  return repo;
};

describe('workflow lookup', () => {
  it('a project file beats workflows.paths, which beats the shipped one', () => {
    const repo = tempRepo();
    const shipped = join(repo, 'shipped');
    mkdirSync(join(repo, '.aidev', 'workflows'), { recursive: true });
    mkdirSync(join(repo, 'flows'));
    mkdirSync(shipped);
    for (const dir of [shipped, join(repo, 'flows')]) writeFileSync(join(dir, 'standard_dev.yaml'), 'x');
    writeFileSync(join(shipped, 'hotfix.yaml'), 'x');
    writeFileSync(join(repo, 'flows', 'extra.yml'), 'x');
    writeFileSync(join(repo, '.aidev', 'workflows', 'hotfix.yaml'), 'x');
    const options = { repoRoot: repo, paths: ['flows'], shippedDir: shipped, cwd: repo };
    expect(listWorkflows(options).map((w) => [w.name, w.source, w.shadows.length])).toEqual([
      ['extra', 'project', 0],
      ['hotfix', 'project', 1],
      ['standard_dev', 'project', 1],
    ]);
    expect(resolveWorkflow('hotfix', options).file).toBe(join(repo, '.aidev', 'workflows', 'hotfix.yaml'));
    expect(resolveWorkflow('standard_dev', options).file).toBe(join(repo, 'flows', 'standard_dev.yaml'));
    expect(resolveWorkflow('./flows/extra.yml', options).source).toBe('file');
    expect(() => resolveWorkflow('hotfx', options)).toThrow(
      'no workflow named "hotfx" (did you mean "hotfix"?)',
    );
  });

  it("the specification's names of the shipped workflows find them; a file of that very name wins", () => {
    const repo = tempRepo();
    const options = { repoRoot: repo, cwd: repo };
    expect(resolveWorkflow('standard_dev_workflow', options)).toMatchObject({
      name: 'standard_dev',
      source: 'shipped',
    });
    expect(resolveWorkflow('hotfix_workflow', options).name).toBe('hotfix');
    expect(resolveWorkflow('documentation_only_workflow', options).name).toBe('documentation_only');
    mkdirSync(join(repo, '.aidev', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.aidev', 'workflows', 'hotfix_workflow.yaml'), 'x');
    expect(resolveWorkflow('hotfix_workflow', options)).toMatchObject({
      name: 'hotfix_workflow',
      source: 'project',
    });
    expect(() => resolveWorkflow('toString', options)).toThrow('no workflow named "toString"');
  });

  it('inputs: defaults fill in, unknown names and missing required ones are usage errors', () => {
    const wf = workflowFrom(
      'name: t\ninputs:\n  a: {description: first}\n  b: {default: 2}\nsteps:\n  - id: s\n    uses: workflow.set_outputs\n',
    );
    expect(checkInputs(wf, { a: 'x' })).toEqual({ a: 'x', b: 2 });
    expect(() => checkInputs(wf, { a: 'x', c: 'y' })).toThrow('workflow t has no input "c"');
    expect(() => checkInputs(wf, {})).toThrow('workflow t needs --input a=…');
  });

  it('runs a workflow in the specification form with its flat variables', async () => {
    const h = harness();
    const wf = workflowFrom(`
name: spec
steps:
  - name: get_task
    plugin: task_management
    action: get_task
    inputs: {task_id: '\${task_id}'}
    outputs: {task: task_data}
  - name: tell
    plugin: communication
    action: send_notification
    inputs: {message: 'working on \${task_data.title}'}
`);
    expect(wf.steps.map((s) => s.compat)).toEqual([
      'plugin: task_management, action: get_task → uses: tasks.get',
      'plugin: communication, action: send_notification → uses: chat.notify',
    ]);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: { task_id: 'T-1' } });
    expect(result.status).toBe('succeeded');
    expect(h.world.messages.map((m) => m.text)).toEqual(['working on Add a greeting']);
  });
});
