import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, tempRepo } from '../../../test/helpers/temp.js';
import { AidevError } from '../errors.js';
import { createProvider } from '../providers.js';
import { createRuntime } from '../runtime.js';
import { silentLogger } from '../logger.js';
import { loadConfig } from './load.js';

function setup(yaml: string, file = '.aidevrc.yaml') {
  const { dir } = tempRepo();
  writeFileSync(join(dir, file), yaml);
  const home = tempDir();
  return { dir, home, env: { AIDEV_HOME: home } as Record<string, string | undefined> };
}

async function failure(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('loadConfig', () => {
  it('applies defaults when there is no file', async () => {
    const { dir } = tempRepo();
    const loaded = await loadConfig({ cwd: dir, env: { AIDEV_HOME: tempDir() } });
    expect(loaded.filepath).toBeNull();
    expect(loaded.config.cost).toMatchObject({
      max_cost_per_task: 5,
      max_tokens_per_task: 50000,
      monthly_budget: 500,
    });
    expect(loaded.config.tasks.provider).toBe('local');
    expect(loaded.config.git.branch_template).toBe('feature/{{task.id}}');
    expect(loaded.config.system.max_concurrent_agents).toBe(5);
  });

  it('finds the project file from a subdirectory and layers user < project < flags', async () => {
    const { dir, home, env } = setup('cost:\n  max_cost_per_task: 2\ngit:\n  remote: upstream\n');
    writeFileSync(join(home, 'config.yaml'), 'cost:\n  max_cost_per_task: 9\n  monthly_budget: 100\n');
    mkdirSync(join(dir, 'src/deep'), { recursive: true });
    const loaded = await loadConfig({
      cwd: join(dir, 'src/deep'),
      env,
      overrides: { git: { remote: 'fork' } },
    });
    expect(loaded.filepath).toBe(join(dir, '.aidevrc.yaml'));
    expect(loaded.config.cost.max_cost_per_task).toBe(2);
    expect(loaded.config.cost.monthly_budget).toBe(100);
    expect(loaded.config.git.remote).toBe('fork');
    expect(loaded.origins.get('cost.max_cost_per_task')).toBe('project');
    expect(loaded.origins.get('cost.monthly_budget')).toBe('user');
    expect(loaded.origins.get('git.remote')).toBe('flag');
  });

  it('interpolates ${NAME} and ${NAME:-default} and marks them secret', async () => {
    const { dir, env } = setup(
      'ai:\n  provider: anthropic\n  anthropic:\n    api_key: ${MY_KEY}\n    base_url: ${BASE:-http://127.0.0.1:9}\n',
    );
    const loaded = await loadConfig({ cwd: dir, env: { ...env, MY_KEY: 'sk-test-123' } });
    const block = (loaded.config.ai as unknown as Record<string, { api_key?: string; base_url?: string }>)
      .anthropic;
    expect(block?.api_key).toBe('sk-test-123');
    expect(block?.base_url).toBe('http://127.0.0.1:9');
    expect(loaded.secretPaths.has('ai.anthropic.api_key')).toBe(true);
  });

  it('defers a missing variable until the provider that needs it is used, then names path and variable', async () => {
    const { dir, env } = setup(
      'ai:\n  provider: anthropic\n  anthropic:\n    api_key: ${NOT_SET_ANYWHERE}\n',
    );
    const loaded = await loadConfig({ cwd: dir, env });
    expect(loaded.missingEnv.get('ai.anthropic.api_key')).toBe('NOT_SET_ANYWHERE');
    const runtime = createRuntime({ env, cwd: dir });
    // the local tracker does not need it
    await expect(createProvider('tasks', 'local', loaded, runtime, silentLogger)).resolves.toBeTruthy();
    const error = await failure(createProvider('ai', 'anthropic', loaded, runtime, silentLogger));
    expect(error.code).toBe('ENV_MISSING');
    expect(error.message).toContain('ai.anthropic.api_key');
    expect(error.message).toContain('NOT_SET_ANYWHERE');
  });

  it('reports an unknown key with a did-you-mean and its position', async () => {
    const { dir, env } = setup('tasks:\n  provider: local\ncots:\n  max_cost_per_task: 1\n');
    const error = await failure(loadConfig({ cwd: dir, env }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/cots: unknown key \(did you mean "cost"\?\)/);
    expect(error.message).toMatch(/\.aidevrc\.yaml:3:1/);
  });

  it('reports a wrong type with the path and line', async () => {
    const { dir, env } = setup('cost:\n  max_cost_per_task: lots\n');
    const error = await failure(loadConfig({ cwd: dir, env }));
    expect(error.message).toMatch(/cost\.max_cost_per_task: .*number/i);
    expect(error.message).toMatch(/:2:3/);
  });

  it('reports a YAML syntax error at file:line:col', async () => {
    const { dir, env } = setup('tasks:\n  provider: local\n bad: [1, 2\n');
    const error = await failure(loadConfig({ cwd: dir, env }));
    expect(error.message).toMatch(/\.aidevrc\.yaml:\d+:\d+: /);
    expect(error.hint).toBeTruthy();
  });

  it('lists the known ids for an unknown provider', async () => {
    const { dir, env } = setup('tasks:\n  provider: trello\n');
    const error = await failure(loadConfig({ cwd: dir, env }));
    expect(error.message).toContain('unknown tasks provider "trello"');
    expect(error.message).toContain('local');
  });

  it('says so when --config points at a missing or unreadable file', async () => {
    const { dir, env } = setup('{}\n');
    const missing = await failure(loadConfig({ cwd: dir, env, configFile: 'nope.yaml' }));
    expect(missing.code).toBe('CONFIG_NOT_FOUND');
    expect(missing.message).toContain('nope.yaml');
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, 'locked.yaml'), 'tasks: {}\n');
      chmodSync(join(dir, 'locked.yaml'), 0);
      const unreadable = await failure(loadConfig({ cwd: dir, env, configFile: 'locked.yaml' }));
      expect(unreadable.message).toContain('cannot read config file');
    }
  });

  it('reads the package.json key and JSON rc files', async () => {
    const { dir, env } = setup(
      JSON.stringify({ name: 'x', aidev: { git: { remote: 'pkg' } } }),
      'package.json',
    );
    const loaded = await loadConfig({ cwd: dir, env });
    expect(loaded.config.git.remote).toBe('pkg');
  });
});
