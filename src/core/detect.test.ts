import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectProject } from './detect.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aidev-detect-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'x', scripts });

describe('detectProject', () => {
  it('node: the install command by lockfile, test and lint/type-check scripts, each with its source', () => {
    const npm = detectProject(
      repo({
        'package.json': pkg({ test: 'vitest', lint: 'eslint .', typecheck: 'tsc' }),
        'package-lock.json': '{}',
      }),
    );
    expect(npm).toMatchObject({
      ecosystem: ['node'],
      setup: ['npm ci'],
      checks: ['npm test', 'npm run lint', 'npm run typecheck'],
    });
    expect(npm.from).toMatchObject({
      'npm ci': 'package-lock.json',
      'npm run lint': 'package.json scripts.lint',
    });
    expect(
      detectProject(repo({ 'package.json': pkg({ test: 'jest' }), 'pnpm-lock.yaml': '' })),
    ).toMatchObject({
      setup: ['pnpm install --frozen-lockfile'],
      checks: ['pnpm test'],
    });
    expect(
      detectProject(repo({ 'package.json': pkg({ test: 'jest', lint: 'x' }), 'yarn.lock': '' })),
    ).toMatchObject({
      setup: ['yarn install --frozen-lockfile'],
      checks: ['yarn test', 'yarn lint'],
    });
    const bare = detectProject(
      repo({ 'package.json': pkg({ test: 'echo "Error: no test specified" && exit 1' }) }),
    );
    expect(bare).toMatchObject({ setup: ['npm install'], checks: [] });
  });

  it('python: uv, poetry, pip with requirements or pyproject extras; pytest, else unittest; ruff and mypy', () => {
    expect(
      detectProject(repo({ 'pyproject.toml': '[tool.pytest.ini_options]\n[tool.ruff]\n', 'uv.lock': '' })),
    ).toMatchObject({ setup: ['uv sync'], checks: ['uv run python -m pytest -q', 'uv run ruff check .'] });
    expect(
      detectProject(repo({ 'pyproject.toml': '[tool.mypy]\n', 'poetry.lock': '', 'conftest.py': '' })),
    ).toMatchObject({
      setup: ['poetry install'],
      checks: ['poetry run python -m pytest -q', 'poetry run mypy .'],
    });
    // Only pytest's own files: nothing to install, pytest as the check.
    for (const only of ['pytest.ini', 'conftest.py'])
      expect(detectProject(repo({ [only]: '', 'tests/test_a.py': 'def test_a(): pass\n' }))).toMatchObject({
        setup: [],
        checks: ['python3 -m pytest -q'],
        from: { 'python3 -m pytest -q': only },
      });
    expect(
      detectProject(repo({ 'requirements.txt': 'pytest\n', 'requirements-dev.txt': 'x\n' })),
    ).toMatchObject({
      setup: ['python3 -m pip install -r requirements.txt', 'python3 -m pip install -r requirements-dev.txt'],
      checks: ['python3 -m pytest -q'],
    });
    const extras = detectProject(
      repo({ 'pyproject.toml': '[project.optional-dependencies]\ntest = ["pytest"]\n' }),
    );
    expect(extras).toMatchObject({
      setup: ['python3 -m pip install -e .[test]'],
      checks: ['python3 -m pytest -q'],
    });
    expect(detectProject(repo({ 'setup.py': '', 'tests/test_a.py': '' }))).toMatchObject({
      setup: ['python3 -m pip install -e .'],
      checks: ['python3 -m unittest discover -s tests -t .'],
    });
  });

  it('go, rust, maven (wrapper preferred), gradle, and a Makefile test target only when nothing else', () => {
    expect(detectProject(repo({ 'go.mod': 'module x\n' }))).toMatchObject({
      setup: [],
      checks: ['go test ./...', 'go vet ./...'],
    });
    expect(detectProject(repo({ 'go.mod': 'module x\n', 'go.sum': '' })).setup).toEqual(['go mod download']);
    expect(detectProject(repo({ 'Cargo.toml': '[package]\n' }))).toMatchObject({
      setup: ['cargo fetch'],
      checks: ['cargo test'],
    });
    expect(detectProject(repo({ 'pom.xml': '<project/>', mvnw: '' }))).toMatchObject({
      ecosystem: ['maven'],
      setup: ['./mvnw -B -q dependency:go-offline'],
      checks: ['./mvnw -B test'],
    });
    expect(detectProject(repo({ 'build.gradle.kts': '' }))).toMatchObject({
      ecosystem: ['gradle'],
      checks: ['gradle test'],
    });
    expect(detectProject(repo({ Makefile: 'all:\n\ttrue\ntest: all\n\t./run\n' })).checks).toEqual([
      'make test',
    ]);
    expect(detectProject(repo({ Makefile: 'test:\n\tx\n', 'go.mod': 'module x\n' })).checks).not.toContain(
      'make test',
    );
    expect(detectProject(repo({ 'README.md': '# x\n' }))).toMatchObject({
      ecosystem: [],
      setup: [],
      checks: [],
    });
  });
});
