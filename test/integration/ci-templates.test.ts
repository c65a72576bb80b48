// `aidev ci init`: the GitHub Actions workflow is checked by the parser GitHub publishes (@actions/workflow-parser,
// which also knows which contexts each key may use), the GitLab file by GitLab's own JSON Schema for .gitlab-ci.yml
// (shipped inside the pinned gitlab-ci-local package). Each validator is also shown a broken variant, so a validator
// that accepted everything would fail here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCiTemplate, runCiInit } from '../../src/commands/ci-init.js';
import { AidevError } from '../../src/core/errors.js';
import { aidevVersion } from '../../src/core/paths.js';
import { gitlabCiSchema } from '../helpers/gitlab-ci-schema.js';
import { tempRepo } from '../helpers/temp.js';
import { loadWorkflowParser } from '../helpers/workflow-parser.js';

const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await loadWorkflowParser();

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface GithubDoc {
  on: { issues: { types: string[] }; workflow_dispatch: { inputs: Record<string, unknown> } };
  permissions: unknown;
  concurrency: unknown;
  jobs: { run: { if: string; steps: Step[] } };
}
interface GitlabDoc {
  variables: Record<string, unknown>;
  aidev: { rules: { if: string }[]; resource_group: string; script: string[]; artifacts: unknown };
}

function githubErrors(content: string): string[] {
  const result = parseWorkflow({ name: 'aidev.yml', content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

describe('aidev ci init github', () => {
  const content = renderCiTemplate('github');

  it('parses with GitHub’s workflow parser without errors', async () => {
    expect(githubErrors(content)).toEqual([]);
    const result = parseWorkflow({ name: 'aidev.yml', content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j) => j.id.value)).toEqual(['run']);
  });

  it('is triggered by the aidev label and by workflow_dispatch with a task id, with least-privilege permissions', () => {
    const doc = parse(content) as GithubDoc;
    expect(doc.on.issues.types).toEqual(['labeled']);
    expect(doc.on.workflow_dispatch.inputs.task).toMatchObject({ required: true, type: 'string' });
    expect(doc.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', issues: 'write' });
    expect(doc.concurrency).toEqual({
      group: 'aidev-${{ inputs.task || github.event.issue.number }}',
      'cancel-in-progress': false,
    });
    const job = doc.jobs.run;
    expect(job.if).toContain("github.event.label.name == 'aidev'");
    const uses = job.steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']);
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain(`npx --yes aidev@${aidevVersion()} run "$TASK" --yes --output stream-json`);
    expect(runs).toContain('ledger export --file');
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toContain('run.ndjson');
    expect(content).not.toContain('{{AIDEV_VERSION}}');
  });

  it('the parser catches what GitHub would refuse (a context a key may not use, an unknown key)', () => {
    const wrongContext = content.replace(
      'TASK: ${{ inputs.task',
      'HOME_DIR: ${{ runner.temp }}\n      TASK: ${{ inputs.task',
    );
    expect(githubErrors(wrongContext).join('\n')).toMatch(/runner/);
    expect(
      githubErrors(content.replace('timeout-minutes: 60', 'timeout-minutes: 60\n    run-forever: true'))
        .length,
    ).toBeGreaterThan(0);
  });

  it('writes .github/workflows/aidev.yml, keeps an existing one unless --force, and --dry-run writes nothing', async () => {
    const { dir } = tempRepo();
    const dry = await runCiInit({ cwd: dir, env: {}, target: 'github', dryRun: true });
    expect(dry.written).toBe(false);
    expect(existsSync(join(dir, '.github/workflows/aidev.yml'))).toBe(false);
    const done = await runCiInit({ cwd: dir, env: {}, target: 'github' });
    expect(done).toMatchObject({ file: '.github/workflows/aidev.yml', written: true });
    expect(done.next.join('\n')).toContain('ANTHROPIC_API_KEY');
    expect(readFileSync(join(dir, '.github/workflows/aidev.yml'), 'utf8')).toBe(content);
    writeFileSync(join(dir, '.github/workflows/aidev.yml'), '# mine\n');
    const error = await runCiInit({ cwd: dir, env: {}, target: 'github' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AidevError);
    expect((error as AidevError).hint).toContain('--force');
    expect(readFileSync(join(dir, '.github/workflows/aidev.yml'), 'utf8')).toBe('# mine\n');
    await runCiInit({ cwd: dir, env: {}, target: 'github', force: true });
    expect(readFileSync(join(dir, '.github/workflows/aidev.yml'), 'utf8')).toBe(content);
  });

  it('names the two targets when given another', async () => {
    const error = (await runCiInit({ cwd: tempRepo().dir, env: {}, target: 'jenkins' }).catch(
      (e: unknown) => e,
    )) as AidevError;
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain('github or gitlab');
  });
});

describe('aidev ci init gitlab', () => {
  let validate: (doc: unknown) => string[];
  beforeAll(() => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
    formatsModule.default(ajv);
    const check = ajv.compile(gitlabCiSchema());
    validate = (doc) => (check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  }, 60_000);
  const content = renderCiTemplate('gitlab');

  it('validates against GitLab’s JSON Schema for .gitlab-ci.yml', () => {
    expect(validate(parse(content))).toEqual([]);
  });

  it('is a manual or API-triggered job on a task variable, one at a time per task, keeping its record', () => {
    const doc = parse(content) as GitlabDoc;
    expect(doc.variables.AIDEV_TASK).toMatchObject({ value: '' });
    const job = doc.aidev;
    expect(job.rules[0]!.if).toMatch(/\$AIDEV_TASK && .*"web".*"api".*"trigger"/);
    expect(job.resource_group).toBe('aidev-$AIDEV_TASK');
    expect(job.script.join('\n')).toContain(
      `npx --yes aidev@${aidevVersion()} run "$AIDEV_TASK" --yes --output stream-json`,
    );
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['aidev-record/'] });
  });

  it('the schema catches what GitLab would refuse', () => {
    const doc = parse(content) as GitlabDoc;
    expect(validate({ ...doc, aidev: { ...doc.aidev, when: 'sometimes' } }).length).toBeGreaterThan(0);
    expect(
      validate({ ...doc, aidev: { ...doc.aidev, artifacts: { when: 'forever' } } }).length,
    ).toBeGreaterThan(0);
  });

  it('writes .gitlab-ci.yml at the repository root', async () => {
    const { dir } = tempRepo();
    const done = await runCiInit({ cwd: dir, env: {}, target: 'gitlab' });
    expect(done.file).toBe('.gitlab-ci.yml');
    expect(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')).toBe(content);
  });
});
