// Detects a repository's install command and checks (DESIGN "Workspace and checks"), so `aidev init` can write them
// into .aidevrc.yaml where the user sees them. Detection only reads files; it runs nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Detected {
  ecosystem: string[];
  setup: string[];
  checks: string[];
}

export function detectProject(root: string): Detected {
  const has = (file: string) => existsSync(join(root, file));
  const out: Detected = { ecosystem: [], setup: [], checks: [] };

  if (has('package.json')) {
    out.ecosystem.push('node');
    const pm = has('pnpm-lock.yaml')
      ? 'pnpm'
      : has('yarn.lock')
        ? 'yarn'
        : has('bun.lockb') || has('bun.lock')
          ? 'bun'
          : 'npm';
    const lock = has('package-lock.json') || has('npm-shrinkwrap.json');
    out.setup.push(
      {
        npm: lock ? 'npm ci' : 'npm install',
        pnpm: 'pnpm install --frozen-lockfile',
        yarn: 'yarn install --frozen-lockfile',
        bun: 'bun install --frozen-lockfile',
      }[pm],
    );
    const scripts = readScripts(join(root, 'package.json'));
    const run = pm === 'npm' ? 'npm run' : pm;
    if (scripts.test && !/no test specified/.test(scripts.test))
      out.checks.push(pm === 'npm' ? 'npm test' : `${pm} test`);
    for (const name of ['lint', 'typecheck', 'type-check'])
      if (scripts[name]) out.checks.push(`${run} ${name}`);
  }
  if (has('pyproject.toml') || has('setup.py') || has('requirements.txt')) {
    out.ecosystem.push('python');
    if (has('uv.lock')) out.setup.push('uv sync');
    else if (has('poetry.lock')) out.setup.push('poetry install');
    else if (has('requirements.txt')) out.setup.push('python -m pip install -r requirements.txt');
    else out.setup.push('python -m pip install -e .');
    if (has('pytest.ini') || has('tests') || has('test') || /pytest/.test(read(join(root, 'pyproject.toml'))))
      out.checks.push('python -m pytest -q');
  }
  if (has('go.mod')) {
    out.ecosystem.push('go');
    out.setup.push('go mod download');
    out.checks.push('go test ./...');
  }
  if (has('Cargo.toml')) {
    out.ecosystem.push('rust');
    out.setup.push('cargo fetch');
    out.checks.push('cargo test');
  }
  if (!out.checks.length && has('Makefile') && /^test:/m.test(read(join(root, 'Makefile'))))
    out.checks.push('make test');
  return out;
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
