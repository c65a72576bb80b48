import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { baselineKey, verificationMarkdown } from './baseline.js';
import { checkPackages } from '../config/verify-packages.js';
import {
  namedByTask,
  outsideNote,
  outsideScope,
  packageOf,
  scopeForChange,
  scopeForTask,
  scopeLine,
} from './check-scope.js';

const verify = (extra: Record<string, unknown> = {}) =>
  configSchema.parse({
    verify: {
      checks: ['npm test'],
      packages: [
        { path: 'packages/api', checks: ['npm test --workspace packages/api'] },
        { path: 'packages/web' },
        { path: 'packages/web/plugins/maps', name: 'maps' },
      ],
      ...extra,
    },
  }).verify;

const task = (over: { labels?: string[]; title?: string; description?: string } = {}) => ({
  labels: [],
  title: 'Fix the login form',
  description: '',
  ...over,
});

describe('verify.packages config', () => {
  it('names default to the basename; checks default to verify.checks inside the folder', () => {
    expect(checkPackages(verify())).toEqual([
      { name: 'api', path: 'packages/api', checks: ['npm test --workspace packages/api'] },
      { name: 'web', path: 'packages/web', checks: ['cd packages/web && npm test'] },
      {
        name: 'maps',
        path: 'packages/web/plugins/maps',
        checks: ['cd packages/web/plugins/maps && npm test'],
      },
    ]);
    const odd = configSchema.parse({ verify: { checks: ['make'], packages: [{ path: './my pkg/' }] } });
    expect(checkPackages(odd.verify)[0]).toEqual({
      name: 'my pkg',
      path: 'my pkg',
      checks: ["cd 'my pkg' && make"],
    });
  });

  it('is backwards compatible and refuses paths outside the repo and duplicate names', () => {
    expect(configSchema.parse({}).verify).toMatchObject({ packages: [], scope: 'auto' });
    const bad = configSchema.safeParse({
      verify: { packages: [{ path: '../x' }, { path: 'a/api' }, { path: 'b/API' }] },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^verify\.packages\.0\.path: must be a folder inside the repository/),
      'verify.packages.2.name: packages[1] has the same name "API": set name on one of them',
    ]);
  });
});

describe('scopeForTask', () => {
  it('no packages configured: repo-wide, settled, and nothing to show', () => {
    const s = scopeForTask(configSchema.parse({ verify: { checks: ['npm test'] } }).verify, task());
    expect(s).toMatchObject({ package: null, checks: ['npm test'], settled: true, shown: false });
  });

  it('a label equal to a package name (or pkg:<name>, or its path) scopes to it', () => {
    for (const label of ['api', 'pkg:api', 'Package:API', 'packages/api']) {
      const s = scopeForTask(verify(), task({ labels: ['bug', label] }));
      expect(s.package?.path).toBe('packages/api');
      expect(s.checks).toEqual(['npm test --workspace packages/api']);
      expect(scopeLine(s)).toBe(`checks scoped to packages/api (task label ${label})`);
    }
  });

  it('the title: a [name] prefix, a name: prefix, a conventional-commit scope, or the path', () => {
    const cases: [string, string][] = [
      ['[web] Fix the map', 'task title prefix [web]'],
      ['web: fix the map', 'task title prefix web:'],
      ['fix(web)!: the map', 'task title prefix fix(web)!:'],
      ['Fix the map in packages/web/src/map.ts', 'task title names packages/web/src/map.ts'],
    ];
    for (const [title, reason] of cases) {
      const s = scopeForTask(verify(), task({ title }));
      expect(s.package?.name, title).toBe('web');
      expect(s.reason).toBe(reason);
      expect(s.checks).toEqual(['cd packages/web && npm test']);
    }
    // A bare word is not a name, a nested package wins over its parent, a longer folder name is another folder.
    expect(scopeForTask(verify(), task({ title: 'The web app is slow' })).package).toBeNull();
    expect(scopeForTask(verify(), task({ title: 'packages/web/plugins/maps/x.ts' })).package?.name).toBe(
      'maps',
    );
    expect(scopeForTask(verify(), task({ title: 'packages/apix is odd' })).package).toBeNull();
  });

  it('the description counts by path only, and only when labels and title name nothing', () => {
    const s = scopeForTask(verify(), task({ description: 'The bug is in ./packages/api/src/login.ts.' }));
    expect(s.reason).toBe('task description names packages/api/src/login.ts');
    const labelled = scopeForTask(verify(), task({ labels: ['web'], description: 'see packages/api' }));
    expect(labelled.package?.name).toBe('web');
    const plain = scopeForTask(verify(), task({ description: 'the api returns 500' }));
    expect(plain.package).toBeNull();
  });

  it('several packages named at the deciding level: repo-wide, settled', () => {
    const s = scopeForTask(verify(), task({ labels: ['api', 'web'], title: '[api] x' }));
    expect(s).toMatchObject({ package: null, checks: ['npm test'], settled: true, shown: true });
    expect(scopeLine(s)).toBe("checks: repo-wide (the task's labels name several packages: api, web)");
  });

  it('scope: repo forces repo-wide; scope: task never leaves it to the change', () => {
    const repo = scopeForTask(verify({ scope: 'repo' }), task({ labels: ['api'] }));
    expect(repo).toMatchObject({ package: null, reason: 'verify.scope: repo', settled: true });
    const byTask = scopeForTask(verify({ scope: 'task' }), task());
    expect(byTask).toMatchObject({ package: null, settled: true, reason: 'the task names no package' });
    const auto = scopeForTask(verify(), task());
    expect(auto).toMatchObject({ package: null, checks: ['npm test'], settled: false });
  });
});

describe('scopeForChange', () => {
  const open = scopeForTask(verify(), task());
  const clean = { checks: [{ exitCode: 0 }] };

  it('a change inside one package scopes to it (the deepest one when packages nest)', () => {
    const s = scopeForChange(verify(), open, ['packages/api/src/a.ts', 'packages/api/test/a.test.ts'], clean);
    expect(scopeLine(s)).toBe('checks scoped to packages/api (the change touches only packages/api)');
    expect(s.decidedBy).toBe('change');
    expect(scopeForChange(verify(), open, ['packages/web/plugins/maps/m.ts'], null).package?.name).toBe(
      'maps',
    );
  });

  it('several packages, or a file outside them all: repo-wide', () => {
    const several = scopeForChange(verify(), open, ['packages/api/a.ts', 'packages/web/b.ts'], clean);
    expect(scopeLine(several)).toBe(
      'checks: repo-wide (the change touches several packages: packages/api, packages/web)',
    );
    const outside = scopeForChange(verify(), open, ['packages/api/a.ts', 'package-lock.json'], clean);
    expect(outside).toMatchObject({ package: null, checks: ['npm test'] });
    expect(outside.reason).toBe('the change touches files outside the packages: package-lock.json');
  });

  it('one package but the base already fails the repo-wide checks: stays repo-wide', () => {
    const s = scopeForChange(verify(), open, ['packages/api/a.ts'], { checks: [{ exitCode: 1 }] });
    expect(s.package).toBeNull();
    expect(s.reason).toMatch(/already fail on the base/);
  });

  it('a scope the task settled stands whatever the change touches; the files outside it are named', () => {
    const named = scopeForTask(verify(), task({ labels: ['api'] }));
    const files = ['packages/api/a.ts', 'packages/web/b.ts', 'README.md'];
    expect(scopeForChange(verify(), named, files, clean)).toBe(named);
    expect(outsideScope(named, files)).toEqual(['packages/web/b.ts', 'README.md']);
    expect(outsideNote(named, outsideScope(named, files))).toBe(
      'the change also touches files outside packages/api (packages/web/b.ts, README.md); checks for those were not run',
    );
    const forced = scopeForTask(verify({ scope: 'repo' }), task());
    expect(scopeForChange(verify({ scope: 'repo' }), forced, ['packages/api/a.ts'], clean)).toBe(forced);
  });
});

describe('helpers', () => {
  it('packageOf and namedByTask', () => {
    const pkgs = checkPackages(verify());
    expect(packageOf('packages/web', pkgs)?.name).toBe('web');
    expect(packageOf('packages/webby/x', pkgs)).toBeNull();
    expect(namedByTask(task(), pkgs)).toBeNull();
  });
});

describe('the scope in the baseline key and the PR body', () => {
  it('a package-scoped baseline has its own key, and so has another aidev build', () => {
    const repoKey = baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci']);
    expect(baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci'], null)).toBe(repoKey);
    expect(baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci'], 'packages/api')).not.toBe(repoKey);
    expect(baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci'], 'packages/web')).not.toBe(
      baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci'], 'packages/api'),
    );
    // A new aidev build measures the base again.
    expect(baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci'], null, '1.0.0+a')).not.toBe(
      baselineKey('/r', 'c0ffee', ['npm test'], ['npm ci'], null, '1.0.0+b'),
    );
  });

  it('the Checks section says the scope and the files outside it', () => {
    const s = scopeForTask(verify(), task({ labels: ['web'] }));
    const md = verificationMarkdown({
      baseline: null,
      baselineSkipped: 'baseline skipped (--no-baseline)',
      after: null,
      checks: s.checks,
      setup: null,
      scope: scopeLine(s),
      note: outsideNote(s, ['README.md']),
    });
    expect(md).toContain('Checks scoped to packages/web (task label web).');
    expect(md).toContain(
      'Note: the change also touches files outside packages/web (README.md); checks for those were not run.',
    );
    expect(md).toContain('| `cd packages/web && npm test` | baseline skipped (--no-baseline) |');
  });
});
