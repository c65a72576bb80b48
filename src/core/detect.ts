// Detects a repository's install command and checks (DESIGN "Workspace and checks"), so `aidev init` can write them
// into .aidevrc.yaml where the user sees them, each with the file it was detected from. Detection only reads files;
// it runs nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectWorkspaces, type DetectedWorkspaces } from './detect-workspaces.js';

export interface Detected {
  ecosystem: string[];
  setup: string[];
  checks: string[];
  /** Command → the file (and key) it was detected from, e.g. `npm test` → `package.json scripts.test`. */
  from: Record<string, string>;
  /** Monorepo packages with tests of their own (verify.packages), or null when the repo declares no workspace. */
  workspaces: DetectedWorkspaces | null;
}

export function detectProject(root: string): Detected {
  const has = (file: string) => existsSync(join(root, file));
  const out: Detected = { ecosystem: [], setup: [], checks: [], from: {}, workspaces: null };
  const setup = (command: string, from: string): void => {
    if (out.setup.includes(command)) return;
    out.setup.push(command);
    out.from[command] = from;
  };
  const check = (command: string, from: string): void => {
    if (out.checks.includes(command)) return;
    out.checks.push(command);
    out.from[command] = from;
  };

  if (has('package.json')) detectNode(root, has, setup, check, out);
  if (
    [
      'pyproject.toml',
      'setup.py',
      'setup.cfg',
      'requirements.txt',
      'pytest.ini',
      'conftest.py',
      'tox.ini',
    ].some(has)
  )
    detectPython(root, has, setup, check, out);
  if (has('go.mod')) {
    out.ecosystem.push('go');
    if (has('go.sum')) setup('go mod download', 'go.sum');
    check('go test ./...', 'go.mod');
    check('go vet ./...', 'go.mod');
  }
  if (has('Cargo.toml')) {
    out.ecosystem.push('rust');
    setup('cargo fetch', has('Cargo.lock') ? 'Cargo.lock' : 'Cargo.toml');
    check('cargo test', 'Cargo.toml');
  }
  if (has('pom.xml')) {
    out.ecosystem.push('maven');
    const mvn = has('mvnw') ? './mvnw' : 'mvn';
    setup(`${mvn} -B -q dependency:go-offline`, 'pom.xml');
    check(`${mvn} -B test`, 'pom.xml');
  } else if (has('build.gradle') || has('build.gradle.kts')) {
    out.ecosystem.push('gradle');
    const file = has('build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle';
    check(`${has('gradlew') ? './gradlew' : 'gradle'} test`, file);
  }
  if (!out.checks.length && has('Makefile') && /^test\s*:/m.test(read(join(root, 'Makefile'))))
    check('make test', 'Makefile target test');
  out.workspaces = detectWorkspaces(root, has('package.json') ? nodeTool(has)[0] : null);
  return out;
}

type Add = (command: string, from: string) => void;

/** The package manager, by its lockfile. */
function nodeTool(has: (f: string) => boolean): ['npm' | 'pnpm' | 'yarn' | 'bun', string | null] {
  if (has('pnpm-lock.yaml')) return ['pnpm', 'pnpm-lock.yaml'];
  if (has('yarn.lock')) return ['yarn', 'yarn.lock'];
  if (has('bun.lock') || has('bun.lockb')) return ['bun', has('bun.lock') ? 'bun.lock' : 'bun.lockb'];
  if (has('package-lock.json')) return ['npm', 'package-lock.json'];
  if (has('npm-shrinkwrap.json')) return ['npm', 'npm-shrinkwrap.json'];
  return ['npm', null];
}

function detectNode(root: string, has: (f: string) => boolean, setup: Add, check: Add, out: Detected): void {
  out.ecosystem.push('node');
  const [pm, lockfile] = nodeTool(has);
  const install = {
    npm: lockfile ? 'npm ci' : 'npm install',
    pnpm: 'pnpm install --frozen-lockfile',
    yarn: 'yarn install --frozen-lockfile',
    bun: 'bun install --frozen-lockfile',
  }[pm];
  setup(install, lockfile ?? 'package.json (no lockfile)');
  const scripts = readScripts(join(root, 'package.json'));
  const run = pm === 'npm' ? 'npm run' : pm;
  if (scripts.test && !/no test specified/.test(scripts.test))
    check(pm === 'npm' ? 'npm test' : `${pm} test`, 'package.json scripts.test');
  for (const name of ['lint', 'typecheck', 'type-check', 'check-types'])
    if (scripts[name]) check(`${run} ${name}`, `package.json scripts.${name}`);
}

function detectPython(
  root: string,
  has: (f: string) => boolean,
  setup: Add,
  check: Add,
  out: Detected,
): void {
  out.ecosystem.push('python');
  const pyproject = read(join(root, 'pyproject.toml'));
  let prefix = '';
  if (has('uv.lock')) {
    setup('uv sync', 'uv.lock');
    prefix = 'uv run ';
  } else if (has('poetry.lock')) {
    setup('poetry install', 'poetry.lock');
    prefix = 'poetry run ';
  } else if (has('requirements.txt')) {
    setup('python3 -m pip install -r requirements.txt', 'requirements.txt');
    for (const dev of ['requirements-dev.txt', 'requirements-test.txt'])
      if (has(dev)) setup(`python3 -m pip install -r ${dev}`, dev);
  } else if (pyproject || has('setup.py')) {
    const extra = /^\s*(test|tests|dev)\s*=\s*\[/m.exec(pyproject)?.[1];
    setup(
      `python3 -m pip install -e .${extra ? `[${extra}]` : ''}`,
      extra ? `pyproject.toml optional-dependencies.${extra}` : pyproject ? 'pyproject.toml' : 'setup.py',
    );
  }
  const python = prefix ? `${prefix}python` : 'python3';
  const mentions = [
    'pyproject.toml',
    'setup.cfg',
    'tox.ini',
    'pytest.ini',
    'conftest.py',
    'requirements.txt',
    'requirements-dev.txt',
    'requirements-test.txt',
  ].find((f) => (f === 'pytest.ini' || f === 'conftest.py' ? has(f) : /pytest/.test(read(join(root, f)))));
  if (mentions) check(`${python} -m pytest -q`, mentions);
  else {
    const dir = ['tests', 'test'].find((d) => has(d));
    if (dir)
      check(`${python} -m unittest discover -s ${dir} -t .`, `${dir}/ (no pytest configured: unittest)`);
  }
  if (/^\[tool\.ruff/m.test(pyproject)) check(`${prefix}ruff check .`, 'pyproject.toml [tool.ruff]');
  if (/^\[tool\.mypy/m.test(pyproject)) check(`${prefix}mypy .`, 'pyproject.toml [tool.mypy]');
}

function readScripts(file: string): Record<string, string> {
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts ?? {};
  } catch {
    return {};
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
