// The real binary, spawned: fast paths, --json on stdout, exit codes, and clear errors for bad input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, tempRepo } from '../helpers/temp.js';

const home = () => ({ AIDEV_HOME: tempDir('aidev-home-') });

describe('aidev binary', () => {
  it('answers --version and --help', async () => {
    const dir = tempDir();
    const version = await runCli(['--version'], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.stdout).toContain('Usage: aidev');
    expect(help.stdout).toContain('tasks');
    const sub = await runCli(['tasks', '--help'], { cwd: dir });
    expect(sub.stdout).toContain('create [options] <title>');
  });

  it('creates and lists local tasks, with --json on stdout only', async () => {
    const { dir } = tempRepo();
    const env = home();
    const created = await runCli(['tasks', 'create', 'Add login', '--description', 'email'], {
      cwd: dir,
      env,
    });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created TASK-1: Add login');
    const listed = await runCli(['tasks', 'list', '--json'], { cwd: dir, env });
    expect(listed.code).toBe(0);
    const parsed = JSON.parse(listed.stdout) as { tasks: { id: string; title: string; status: string }[] };
    expect(parsed.tasks).toEqual([
      expect.objectContaining({ id: 'TASK-1', title: 'Add login', status: 'todo' }),
    ]);
  });

  it('exits 2 with path: message lines for an invalid config, and --json errors are JSON', async () => {
    const { dir } = tempRepo();
    writeFileSync(join(dir, '.aidevrc.yaml'), 'cost:\n  max_cost_per_tsk: 1\ntasks:\n  provider: nope\n');
    const result = await runCli(['config', 'validate'], { cwd: dir, env: home() });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('cost.max_cost_per_tsk: unknown key (did you mean "max_cost_per_task"?)');
    expect(result.stdout).toContain('tasks.provider: unknown tasks provider "nope"');
    const json = await runCli(['tasks', 'list', '--json'], { cwd: dir, env: home() });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(json.stderr).toMatch(/^error: invalid config/);
    expect(json.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses init outside a git repository with a hint', async () => {
    const dir = tempDir();
    const result = await runCli(['init', '--yes'], { cwd: dir, env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not inside a git repository');
    expect(result.stderr).toContain('hint: run `git init` first');
  });

  it('init --yes detects checks and never overwrites without --force', async () => {
    const { dir } = tempRepo({
      files: {
        'package.json': JSON.stringify({ scripts: { test: 'node --test', lint: 'eslint .' } }),
        'package-lock.json': '{}',
      },
    });
    const env = home();
    const first = await runCli(['init', '--yes'], { cwd: dir, env });
    expect(first.code).toBe(0);
    const shown = await runCli(['config', 'show', '--json'], { cwd: dir, env });
    const config = (
      JSON.parse(shown.stdout) as { config: { verify: { checks: string[] }; workspace: { setup: string[] } } }
    ).config;
    expect(config.verify.checks).toEqual(['npm test', 'npm run lint']);
    expect(config.workspace.setup).toEqual(['npm ci']);
    const second = await runCli(['init', '--yes'], { cwd: dir, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('--force');
  });

  it('config show redacts secrets from ${ENV} and secret-named keys, and shows origins', async () => {
    const { dir } = tempRepo();
    writeFileSync(join(dir, '.aidevrc.yaml'), 'ai:\n  anthropic:\n    api_key: ${CANARY_KEY}\n');
    const env = { ...home(), CANARY_KEY: 'sk-ant-canary-value-123456' };
    const shown = await runCli(['config', 'show'], { cwd: dir, env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('canary');
    expect(shown.stdout).toContain('api_key: "***"');
    const origins = await runCli(['config', 'show', '--origins'], { cwd: dir, env });
    expect(origins.stdout).toMatch(/ai\.anthropic\.api_key\s+project/);
    expect(origins.stdout).toMatch(/cost\.monthly_budget\s+default/);
  });

  it('doctor --json reports each check and exits 0 on a ready repo', async () => {
    const { dir } = tempRepo();
    mkdirSync(join(dir, 'x'));
    const result = await runCli(['doctor', '--json'], {
      cwd: dir,
      env: { ...home(), ANTHROPIC_API_KEY: 'sk-test' },
    });
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { name: string; state: string; detail: string }[];
    };
    expect(parsed.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['node', 'git', 'config', 'ledger backend', 'sandbox', 'ai (anthropic)']),
    );
    expect(parsed.checks.find((c) => c.name === 'ai (anthropic)')?.detail).toBe(
      'credentials present: ANTHROPIC_API_KEY',
    );
    expect(JSON.stringify(parsed)).not.toContain('sk-test');
    expect(result.code).toBe(parsed.ok ? 0 : 1);
    expect(parsed.ok).toBe(true);
  });

  it('runs list and cost work on an empty ledger', async () => {
    const { dir } = tempRepo();
    const env = home();
    const runs = await runCli(['runs', 'list', '--json'], { cwd: dir, env });
    expect(JSON.parse(runs.stdout)).toEqual({ runs: [] });
    const cost = await runCli(['cost', '--month', '2026-13'], { cwd: dir, env });
    expect(cost.code).toBe(2);
    expect(cost.stderr).toContain('--month must look like 2026-03');
  });
});
