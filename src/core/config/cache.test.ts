import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, tempRepo } from '../../../test/helpers/temp.js';
import { loadConfigCached } from './cache.js';

const hooks = { version: 'test' };

describe('loadConfigCached', () => {
  it('serves a hit only while every probed file and referenced variable is unchanged', async () => {
    const { dir } = tempRepo();
    const home = tempDir();
    const env = { AIDEV_HOME: home, HOME: tempDir(), REMOTE_NAME: 'one' };
    writeFileSync(join(dir, '.aidevrc.yaml'), 'git:\n  remote: ${REMOTE_NAME}\n');
    const first = await loadConfigCached({ cwd: dir, env }, hooks);
    expect(first.config.git.remote).toBe('one');
    expect(readdirSync(join(home, 'cache'))).toHaveLength(1);
    const hit = await loadConfigCached({ cwd: dir, env }, hooks);
    expect(hit.config.git.remote).toBe('one');
    expect(hit.secretPaths.has('git.remote')).toBe(true);

    // a changed variable
    expect(
      (await loadConfigCached({ cwd: dir, env: { ...env, REMOTE_NAME: 'two' } }, hooks)).config.git.remote,
    ).toBe('two');

    // an edited file, even with the same size and an old mtime restored
    writeFileSync(join(dir, '.aidevrc.yaml'), 'git:\n  remote: ${REMOTE_NAME}\ncost:\n  monthly_budget: 7\n');
    expect((await loadConfigCached({ cwd: dir, env }, hooks)).config.cost.monthly_budget).toBe(7);

    // a nearer config file appearing in a subdirectory
    mkdirSync(join(dir, 'pkg'));
    await loadConfigCached({ cwd: join(dir, 'pkg'), env }, hooks);
    writeFileSync(join(dir, 'pkg', '.aidevrc.json'), '{"cost": {"monthly_budget": 3}}');
    expect((await loadConfigCached({ cwd: join(dir, 'pkg'), env }, hooks)).config.cost.monthly_budget).toBe(
      3,
    );

    // the user-global file appearing
    writeFileSync(join(home, 'config.yaml'), 'system:\n  max_concurrent_agents: 2\n');
    expect((await loadConfigCached({ cwd: dir, env }, hooks)).config.system.max_concurrent_agents).toBe(2);

    // a new aidev version never trusts an old entry
    expect(
      (await loadConfigCached({ cwd: dir, env }, { version: 'other' })).config.system.max_concurrent_agents,
    ).toBe(2);
  });

  it('re-validates when the file changes within the same mtime granularity', async () => {
    const { dir } = tempRepo();
    const env = { AIDEV_HOME: tempDir(), HOME: tempDir() };
    const file = join(dir, '.aidevrc.yaml');
    writeFileSync(file, 'cost:\n  monthly_budget: 1\n');
    utimesSync(file, 1_000_000, 1_000_000);
    await loadConfigCached({ cwd: dir, env }, hooks);
    writeFileSync(file, 'cost:\n  monthly_budget: 2\n');
    utimesSync(file, 1_000_000, 1_000_000);
    expect((await loadConfigCached({ cwd: dir, env }, hooks)).config.cost.monthly_budget).toBe(2);
  });

  it('does not cache when AIDEV_NO_CONFIG_CACHE is set', async () => {
    const { dir } = tempRepo();
    const home = tempDir();
    await loadConfigCached({ cwd: dir, env: { AIDEV_HOME: home, AIDEV_NO_CONFIG_CACHE: '1' } }, hooks);
    expect(existsSync(join(home, 'cache'))).toBe(false);
  });
});
