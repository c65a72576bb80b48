import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planInit } from '../commands/init.js';
import { configSchema } from './config/schema.js';
import { detectProject } from './detect.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function repo(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'aidev-detect-ws-')));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const pkg = (name: string, test?: string) => JSON.stringify({ name, ...(test ? { scripts: { test } } : {}) });

describe('detectProject: workspaces', () => {
  it('npm workspaces: packages with their own test script, by glob and by path, with their source', () => {
    const root = repo({
      'package.json': JSON.stringify({
        name: 'mono',
        workspaces: ['packages/*', 'tools/cli', '!packages/skip'],
      }),
      'package-lock.json': '{}',
      'packages/api/package.json': pkg('@acme/api', 'vitest run'),
      'packages/web/package.json': pkg('@acme/web', 'jest'),
      'packages/docs/package.json': pkg('docs'),
      'packages/old/package.json': pkg('old', 'echo "Error: no test specified" && exit 1'),
      'packages/skip/package.json': pkg('skip', 'vitest'),
      'packages/notes/README.md': '# not a package\n',
      'tools/cli/package.json': pkg('cli', 'node --test'),
    });
    expect(detectProject(root).workspaces).toEqual({
      from: ['package.json workspaces'],
      omitted: 0,
      packages: [
        {
          path: 'packages/api',
          checks: ['npm test --workspace packages/api'],
          from: 'packages/api/package.json scripts.test',
        },
        {
          path: 'packages/web',
          checks: ['npm test --workspace packages/web'],
          from: 'packages/web/package.json scripts.test',
        },
        {
          path: 'tools/cli',
          checks: ['npm test --workspace tools/cli'],
          from: 'tools/cli/package.json scripts.test',
        },
      ],
    });
  });

  it('pnpm-workspace.yaml and yarn workspaces filter by package name; a basename taken twice gets a name', () => {
    const pnpm = detectProject(
      repo({
        'package.json': pkg('mono'),
        'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'packages/**'\n",
        'pnpm-lock.yaml': '',
        'apps/web/package.json': pkg('@acme/web-app', 'vitest'),
        'packages/ui/web/package.json': pkg('@acme/web-ui', 'vitest'),
      }),
    ).workspaces;
    expect(pnpm?.from).toEqual(['pnpm-workspace.yaml']);
    expect(pnpm?.packages.map((p) => [p.path, p.name, p.checks[0]])).toEqual([
      ['apps/web', '@acme/web-app', 'pnpm --filter @acme/web-app test'],
      ['packages/ui/web', '@acme/web-ui', 'pnpm --filter @acme/web-ui test'],
    ]);
    const yarn = detectProject(
      repo({
        'package.json': JSON.stringify({ workspaces: { packages: ['libs/*'] } }),
        'yarn.lock': '',
        'libs/core/package.json': pkg('core', 'jest'),
      }),
    ).workspaces;
    expect(yarn?.packages).toEqual([
      {
        path: 'libs/core',
        checks: ['yarn workspace core test'],
        from: 'libs/core/package.json scripts.test',
      },
    ]);
  });

  it('cargo workspace members (globs, exclude), each tested with cargo test -p <crate>', () => {
    const root = repo({
      'Cargo.toml': [
        '[workspace]',
        'resolver = "2"',
        'members = [',
        '  "crates/*",',
        '  "cli",',
        ']',
        'exclude = ["crates/scratch"]',
        '',
        '[workspace.dependencies]',
        'serde = "1"',
        '',
      ].join('\n'),
      'crates/parser/Cargo.toml': '[package]\nauthors = ["x"]\nname = "acme-parser"\nversion = "0.1.0"\n',
      'crates/scratch/Cargo.toml': '[package]\nname = "scratch"\n',
      'cli/Cargo.toml': '[package]\nname = "acme"\n\n[dependencies]\nname = "not-this"\n',
    });
    const detected = detectProject(root);
    expect(detected.checks).toEqual(['cargo test']);
    expect(detected.workspaces).toEqual({
      from: ['Cargo.toml [workspace] members'],
      omitted: 0,
      packages: [
        { path: 'cli', checks: ['cargo test -p acme'], from: 'cli/Cargo.toml' },
        { path: 'crates/parser', checks: ['cargo test -p acme-parser'], from: 'crates/parser/Cargo.toml' },
      ],
    });
  });

  it('lists at most 20 packages and counts the rest; no workspace gives null', () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
    };
    for (let i = 0; i < 23; i++)
      files[`packages/p${String(i).padStart(2, '0')}/package.json`] = pkg(`p${i}`, 'jest');
    const ws = detectProject(repo(files)).workspaces;
    expect(ws?.packages).toHaveLength(20);
    expect(ws?.omitted).toBe(3);
    expect(detectProject(repo({ 'package.json': pkg('solo', 'jest') })).workspaces).toBeNull();
  });
});

describe('aidev init: verify.packages', () => {
  it('writes the detected packages with their sources, and the result is a valid config', async () => {
    const root = repo({
      'package.json': JSON.stringify({
        name: 'mono',
        workspaces: ['packages/*'],
        scripts: { test: 'npm test --workspaces' },
      }),
      'package-lock.json': '{}',
      'packages/a/package.json': pkg('a', 'node --test'),
      'packages/b/package.json': pkg('b', 'node --test'),
    });
    execFileSync('git', ['init', '--quiet'], { cwd: root });
    const plan = await planInit({ cwd: root, env: {} });
    expect(plan.yaml).toContain(
      [
        '  # packages from package.json workspaces: a run whose task names one (label, [name] title prefix, its path),',
        '  # or whose change stays inside one, runs only its checks (docs/run.md, Monorepos)',
        '  packages:',
        '    - path: packages/a',
        '      checks:',
        '        - npm test --workspace packages/a # from packages/a/package.json scripts.test',
      ].join('\n'),
    );
    const config = configSchema.parse(parse(plan.yaml));
    expect(config.verify).toMatchObject({
      checks: ['npm test'],
      scope: 'auto',
      packages: [
        { path: 'packages/a', checks: ['npm test --workspace packages/a'] },
        { path: 'packages/b', checks: ['npm test --workspace packages/b'] },
      ],
    });
  });

  it('says so when the workspace has more packages than it lists, or none with tests', async () => {
    const files: Record<string, string> = { 'package.json': JSON.stringify({ workspaces: ['packages/*'] }) };
    for (let i = 0; i < 21; i++)
      files[`packages/p${String(i).padStart(2, '0')}/package.json`] = pkg(`p${i}`, 'jest');
    const many = repo(files);
    execFileSync('git', ['init', '--quiet'], { cwd: many });
    expect((await planInit({ cwd: many, env: {} })).yaml).toContain(
      '# … and 1 more with tests, not listed (init lists 20): add them by hand',
    );
    const none = repo({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/a/package.json': pkg('a'),
    });
    execFileSync('git', ['init', '--quiet'], { cwd: none });
    const yaml = (await planInit({ cwd: none, env: {} })).yaml;
    expect(yaml).toContain('no package has a test script of its own');
    expect(yaml).not.toContain('packages:');
  });
});
