// The original specification's config dialect: read as written, explained, migrated; bad input is located and hinted.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigValidate } from '../../src/commands/config.js';
import { runConfigMigrate } from '../../src/commands/config-migrate.js';
import { loadConfig } from '../../src/core/config/load.js';
import { AidevError } from '../../src/core/errors.js';
import { repoRoot, tempDir, tempRepo } from '../helpers/temp.js';

const env = {
  AIDEV_HOME: '/nonexistent-aidev-home',
  JIRA_EMAIL: 'me@acme.test',
  JIRA_API_TOKEN: 'jira-secret',
  GITHUB_TOKEN: 'gh-secret',
  ANTHROPIC_API_KEY: 'sk-ant-x',
};

async function configError(
  dir: string,
  yaml: string,
  files: Record<string, string> = {},
): Promise<AidevError> {
  writeFileSync(join(dir, 'config.yaml'), yaml);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const error = await loadConfig({ cwd: dir, env, configFile: 'config.yaml', ignoreUserConfig: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  expect((error as AidevError).exitCode).toBe(2);
  return error as AidevError;
}

describe('specification-style config', () => {
  it('reads examples/spec-style/config.yaml into the native model', async () => {
    const loaded = await loadConfig({
      cwd: repoRoot,
      env,
      configFile: 'examples/spec-style/config.yaml',
      ignoreUserConfig: true,
    });
    const c = loaded.config as unknown as Record<string, Record<string, unknown>>;
    expect(loaded.config.tasks.provider).toBe('jira');
    expect(c.tasks!.jira).toMatchObject({
      url: 'https://company.atlassian.net',
      email: 'me@acme.test',
      api_token: 'jira-secret',
      issue_types: { epic: 'Epic', task: 'Story' },
      status_mapping: { todo: 'To Do', in_progress: 'In Progress', in_review: 'Code Review', done: 'Done' },
      custom_fields: { repo_url: 'customfield_10001', pr_url: 'customfield_10002' },
    });
    expect(loaded.config.vcs.provider).toBe('github');
    expect(loaded.config.docs.provider).toBe('local'); // confluence is disabled
    expect(loaded.config.chat.provider).toBe('slack');
    expect(loaded.config.ai.provider).toBe('anthropic');
    expect(loaded.config.ai.model).toBe('claude-sonnet-4-5');
    expect(loaded.config.cost).toMatchObject({
      max_cost_per_task: 5,
      max_tokens_per_task: 50000,
      monthly_budget: 500,
    });
    expect(loaded.config.workflows.run).toBe('standard_dev_workflow');
    expect(loaded.config.workflows.paths).toEqual(['examples/spec-style/workflows']);
    expect(loaded.config.security.sandbox).toBe('auto');
    expect(loaded.config.system.name).toBe('AI Development Orchestrator');
    expect(loaded.secretPaths.has('tasks.jira.api_token')).toBe(true);
    expect(loaded.files).toEqual([
      join(repoRoot, 'examples/spec-style/plugins/jira.config.yaml'),
      join(repoRoot, 'examples/spec-style/plugins/github.config.yaml'),
    ]);
    expect(loaded.notes.join('\n')).toContain(
      'plugins.documentation (confluence) is disabled → docs.provider: local',
    );
  });

  it('validates every config under examples/ with the real loader', async () => {
    const files = [
      ...readdirSync(join(repoRoot, 'examples'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `examples/${f}`),
      'examples/spec-style/config.yaml',
    ];
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const result = await runConfigValidate({ cwd: repoRoot, env, file });
      expect({ file, issues: result.issues }).toEqual({ file, issues: [] });
    }
    expect(
      (await runConfigValidate({ cwd: repoRoot, env, file: 'examples/spec-style/config.yaml' })).dialect,
    ).toBe('specification');
  });

  it('migrates to a native file that validates and gives the same effective config', async () => {
    const dir = tempRepo().dir;
    const spec = join(repoRoot, 'examples/spec-style');
    for (const f of ['config.yaml', 'plugins/jira.config.yaml', 'plugins/github.config.yaml']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), (await import('node:fs')).readFileSync(join(spec, f), 'utf8'));
    }
    const before = await loadConfig({ cwd: dir, env, configFile: 'config.yaml', ignoreUserConfig: true });
    const migrated = await runConfigMigrate({
      cwd: dir,
      env,
      config: 'config.yaml',
      write: true,
      output: 'native.yaml',
    });
    expect(migrated.yaml).toContain('api_token: ${JIRA_API_TOKEN}');
    expect(migrated.yaml).not.toContain('jira-secret');
    expect(migrated.yaml).not.toMatch(/^(plugins|limits|ai_provider):/m);
    const validated = await runConfigValidate({ cwd: dir, env, file: 'native.yaml' });
    expect(validated).toMatchObject({ valid: true, dialect: 'native' });
    const after = await loadConfig({ cwd: dir, env, configFile: 'native.yaml', ignoreUserConfig: true });
    expect(after.config).toEqual(before.config);
  });

  describe('bad input', () => {
    it('unknown plugin', async () => {
      const e = await configError(tempDir(), 'plugins:\n  task_mgmt:\n    provider: jira\n');
      expect(e.message).toMatch(
        /plugins\.task_mgmt: unknown plugin "task_mgmt"; known: task_management, version_control, documentation, communication/,
      );
      expect(e.message).toMatch(/config\.yaml:2:3/);
    });

    it('a literal API key', async () => {
      const e = await configError(
        tempDir(),
        'ai_provider:\n  type: anthropic\n  api_key: sk-ant-literal-123\n',
      );
      expect(e.message).toMatch(
        /ai_provider\.api_key: a literal credential is not allowed here; write \$\{ANTHROPIC_API_KEY\}/,
      );
      expect(e.message).toMatch(/config\.yaml:3:3/);
      expect(e.message).not.toContain('sk-ant-literal-123');
    });

    it('a config_file that does not exist, or escapes the project', async () => {
      const dir = tempRepo().dir;
      const missing = await configError(
        dir,
        'plugins:\n  task_management:\n    provider: jira\n    config_file: ./plugins/nope.yaml\n',
      );
      expect(missing.message).toMatch(/config_file \.\/plugins\/nope\.yaml does not exist/);
      expect(missing.message).toMatch(/config\.yaml:4:5/);
      const outside = tempDir();
      writeFileSync(join(outside, 'jira.yaml'), 'provider: jira\n');
      const escape = await configError(
        dir,
        `plugins:\n  task_management:\n    provider: jira\n    config_file: ../${outside.split('/').pop()}/jira.yaml\n`,
      );
      expect(escape.message).toMatch(/is outside the project .* it is refused/);
    });

    it('both limits.max_cost_per_task and cost.max_cost_per_task', async () => {
      const e = await configError(
        tempDir(),
        'limits:\n  max_cost_per_task: 5\ncost:\n  max_cost_per_task: 3\n',
      );
      expect(e.message).toMatch(
        /cost\.max_cost_per_task: set twice: limits\.max_cost_per_task \(.*config\.yaml:2:3\) and cost\.max_cost_per_task \(.*config\.yaml:4:3\)/,
      );
    });

    it('a plugin file naming another provider, and a wrong type inside it, point into the plugin file', async () => {
      const dir = tempRepo().dir;
      const other = await configError(
        dir,
        'plugins:\n  task_management:\n    provider: jira\n    config_file: ./p.yaml\n',
        { 'p.yaml': 'provider: linear\n' },
      );
      expect(other.message).toMatch(/says provider linear, but plugins\.task_management says jira/);
      const typed = await configError(
        dir,
        'plugins:\n  communication:\n    provider: console\n    config_file: ./c.yaml\n',
        { 'c.yaml': 'statuses: nope\nextra: 1\n' },
      );
      expect(typed.message).toMatch(/c\.yaml:\d+:\d+/);
    });
  });
});

describe('specification-style config, nested conflicts', () => {
  it('names both paths when a plugin file and the native block set the same status', async () => {
    const dir = tempRepo().dir;
    writeFileSync(join(dir, 'p.yaml'), 'statuses:\n  todo: Open\n');
    writeFileSync(
      join(dir, 'config.yaml'),
      'plugins:\n  task_management:\n    provider: local\n    config_file: ./p.yaml\ntasks:\n  local:\n    status_mapping:\n      todo: Backlog\n',
    );
    const error = await loadConfig({
      cwd: dir,
      env,
      configFile: 'config.yaml',
      ignoreUserConfig: true,
    }).catch((e: unknown) => e);
    expect((error as AidevError).message).toMatch(
      /tasks\.local\.status_mapping\.todo: set twice: statuses \(.*p\.yaml:1:1\)/,
    );
  });
});
