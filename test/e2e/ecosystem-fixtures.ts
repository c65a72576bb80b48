// Small real projects of five ecosystems (npm with a vendored dependency, Python with pytest, Rust with cargo, Go, a
// Makefile), each with a seeded bug its own test suite catches, plus the in-process CLI and the toolchain probe the
// ecosystem e2e test drives them with. Everything is generated offline: no registry, no network.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { tempDir } from '../integration/run-fixtures.js';

type Env = Record<string, string | undefined>;

export interface Ecosystem {
  name: string;
  /** The programs the fixture needs, probed with a harmless command; one absent skips the ecosystem. */
  tools: { name: string; probe: string[] }[];
  files: Record<string, string>;
  /** Generation after the files are committed (vendored tarball, lockfile), committed on top. */
  prepare?: (root: string, env: Env) => void;
  /** What `aidev init` must detect: command and the file it names in its `# from` comment. */
  setup: [string, string][];
  checks: [string, string][];
  /** The seeded bug and its fix, as the scripted model's edit. */
  fix: { path: string; old: string; fixed: string };
  /** Failing test names the baseline must report on the base, or null when the runner names none (make). */
  failingOnBase: string[] | null;
}

const ADD_TASK = 'add returns the difference instead of the sum';

/** A task for the local tracker, in the main checkout (as `aidev tasks create` would write it). */
export function taskFile(id: string): string {
  return `---\nid: ${id}\ntitle: ${ADD_TASK}\nstatus: todo\n---\n\nadd(2, 3) must be 5; the test suite shows it is -1.\n`;
}

export function run(cmd: string, args: string[], cwd: string, env: Env): string {
  const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error?.message}`,
    );
  return result.stdout;
}

/** Is `probe` runnable here with exit 0? */
export function hasTool(probe: string[], env: Env = process.env): boolean {
  const result = spawnSync(probe[0]!, probe.slice(1), { env, stdio: 'ignore', timeout: 20_000 });
  return result.status === 0;
}

const NODE_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { label } from 'tiny-label';",
  "import { add, show } from '../src/calc.js';",
  "test('adds two numbers', () => assert.equal(add(2, 3), 5));",
  // Passes on the base only when setup installed the dependency: the baseline names `adds two numbers` alone.
  "test('labels with the dependency', () => assert.equal(label(7), 'sum=7'));",
  "test('shows a labelled sum', () => assert.equal(show(1, 1), 'sum=2'));",
  '',
].join('\n');

/** A tiny ESM package packed into vendor/, then `npm install --offline` to write the lockfile. */
function prepareNpm(root: string, env: Env): void {
  const pkg = join(tempDir('aidev-eco-dep-'), 'tiny-label');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'tiny-label', version: '1.0.0', type: 'module', exports: './index.js' }, null, 2),
  );
  writeFileSync(join(pkg, 'index.js'), "export function label(n) {\n  return 'sum=' + n;\n}\n");
  mkdirSync(join(root, 'vendor'));
  run('npm', ['pack', '--silent', '--pack-destination', join(root, 'vendor')], pkg, env);
  rmSync(join(pkg, '..'), { recursive: true, force: true });
  run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--silent'], root, env);
  // The main checkout keeps no node_modules, so nothing can be reused: `npm ci` must really run in the worktree.
  rmSync(join(root, 'node_modules'), { recursive: true, force: true });
}

export const ECOSYSTEMS: Ecosystem[] = [
  {
    name: 'npm',
    tools: [{ name: 'npm', probe: ['npm', '--version'] }],
    files: {
      'package.json':
        JSON.stringify(
          {
            name: 'calc',
            version: '1.0.0',
            private: true,
            type: 'module',
            scripts: { test: 'node --test' },
            dependencies: { 'tiny-label': 'file:vendor/tiny-label-1.0.0.tgz' },
          },
          null,
          2,
        ) + '\n',
      'src/calc.js': [
        "import { label } from 'tiny-label';",
        '',
        'export function add(a, b) {',
        '  return a - b;',
        '}',
        '',
        'export function show(a, b) {',
        '  return label(add(a, b));',
        '}',
        '',
      ].join('\n'),
      'test/calc.test.js': NODE_TEST,
      '.gitignore': 'node_modules/\n.aidev/\n',
    },
    prepare: prepareNpm,
    setup: [['npm ci', 'package-lock.json']],
    checks: [['npm test', 'package.json scripts.test']],
    fix: { path: 'src/calc.js', old: 'return a - b;', fixed: 'return a + b;' },
    failingOnBase: ['adds two numbers', 'shows a labelled sum'],
  },
  {
    name: 'python',
    tools: [{ name: 'pytest', probe: ['python3', '-m', 'pytest', '--version'] }],
    // pytest configured in setup.cfg and nothing to install: the detected commands all run offline.
    files: {
      'setup.cfg': '[metadata]\nname = calc\n\n[tool:pytest]\ntestpaths = tests\n',
      'calc.py': 'def add(a, b):\n    return a - b\n',
      'tests/test_calc.py': [
        'from calc import add',
        '',
        '',
        'def test_adds_two_numbers():',
        '    assert add(2, 3) == 5',
        '',
        '',
        'def test_adds_zero():',
        '    assert add(0, 0) == 0',
        '',
      ].join('\n'),
      '.gitignore': '__pycache__/\n.pytest_cache/\n.aidev/\n',
    },
    setup: [],
    checks: [['python3 -m pytest -q', 'setup.cfg']],
    fix: { path: 'calc.py', old: 'return a - b', fixed: 'return a + b' },
    failingOnBase: ['tests/test_calc.py::test_adds_two_numbers'],
  },
  {
    name: 'rust',
    tools: [{ name: 'cargo', probe: ['cargo', '--version'] }],
    files: {
      'Cargo.toml': '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
      'src/lib.rs': [
        'pub fn add(a: i64, b: i64) -> i64 {',
        '    a - b',
        '}',
        '',
        '#[cfg(test)]',
        'mod tests {',
        '    use super::*;',
        '',
        '    #[test]',
        '    fn adds_two_numbers() {',
        '        assert_eq!(add(2, 3), 5);',
        '    }',
        '}',
        '',
      ].join('\n'),
      '.gitignore': '/target\n.aidev/\n',
    },
    // The lockfile in the format of the cargo at hand (an older Debian cargo cannot read a newer one).
    prepare: (root, env) => run('cargo', ['generate-lockfile', '--offline', '--quiet'], root, env),
    setup: [['cargo fetch', 'Cargo.lock']],
    checks: [['cargo test', 'Cargo.toml']],
    fix: { path: 'src/lib.rs', old: '    a - b\n', fixed: '    a + b\n' },
    failingOnBase: ['tests::adds_two_numbers'],
  },
  {
    name: 'go',
    tools: [{ name: 'go', probe: ['go', 'version'] }],
    files: {
      'go.mod': 'module example.com/calc\n\ngo 1.19\n',
      'calc.go':
        'package calc\n\n// Add returns the sum of a and b.\nfunc Add(a, b int) int {\n\treturn a - b\n}\n',
      'calc_test.go': [
        'package calc',
        '',
        'import "testing"',
        '',
        'func TestAdd(t *testing.T) {',
        '\tif got := Add(2, 3); got != 5 {',
        '\t\tt.Fatalf("Add(2, 3) = %d, want 5", got)',
        '\t}',
        '}',
        '',
      ].join('\n'),
      '.gitignore': '.aidev/\n',
    },
    setup: [],
    checks: [
      ['go test ./...', 'go.mod'],
      ['go vet ./...', 'go.mod'],
    ],
    fix: { path: 'calc.go', old: 'return a - b', fixed: 'return a + b' },
    failingOnBase: ['TestAdd'],
  },
  {
    name: 'make',
    tools: [{ name: 'make', probe: ['make', '--version'] }],
    files: {
      Makefile: 'test:\n\tsh test.sh\n\n.PHONY: test\n',
      'calc.sh': 'add() {\n  echo $(( $1 - $2 ))\n}\n',
      'test.sh': [
        '#!/bin/sh',
        '. ./calc.sh',
        'got=$(add 2 3)',
        'if [ "$got" != 5 ]; then echo "add 2 3: expected 5, got $got"; exit 1; fi',
        'echo "ok: add 2 3 = $got"',
        '',
      ].join('\n'),
      '.gitignore': '.aidev/\n',
    },
    setup: [],
    checks: [['make test', 'Makefile target test']],
    fix: { path: 'calc.sh', old: '$(( $1 - $2 ))', fixed: '$(( $1 + $2 ))' },
    failingOnBase: null,
  },
];

/** standard_dev's model calls for the fix: the plan, the agent's turns, the PR description, the docs page. */
export function fixScript(eco: Ecosystem): unknown[] {
  const check = eco.checks[0]![0];
  return [
    { text: `1. Make add return the sum in ${eco.fix.path}.\n2. Run ${check}.` },
    { text: 'Reading the code first.', tool: 'read_file', input: { path: eco.fix.path } },
    {
      tool: 'edit_file',
      input: { path: eco.fix.path, old_string: eco.fix.old, new_string: eco.fix.fixed },
    },
    { tool: 'run_command', input: { command: check } },
    { tool: 'finish', input: { summary: `add now returns the sum; ${check} passes.` } },
    { text: `add returned a - b; it now returns a + b, and ${check} passes.` },
    { text: '# add\n\n`add(a, b)` returns the sum.' },
  ];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** `aidev <args>` in this process: the real commander program and command handlers, streams captured, no TTY. */
export async function aidev(args: string[], cwd: string, env: Env): Promise<CliResult> {
  const out = sink();
  const err = sink();
  const io: Io = {
    stdout: out.stream,
    stderr: err.stream,
    stdin: Readable.from([]),
    env,
    cwd,
    exit: (code) => {
      throw new Error(`aidev asked to exit ${code}`);
    },
  };
  const code = await main(args, { exit: io.exit }, io);
  return { code, stdout: out.text(), stderr: err.text() };
}
