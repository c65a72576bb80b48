// Temp git repositories for the run tests: a real `git init` with a bare "remote", no mocks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { removeTree } from '../helpers/remove-tree.js';
import { afterAll } from 'vitest';

export const gitEnvForTests: Record<string, string | undefined> = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function sh(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = gitEnvForTests,
): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Folders tempDir made go after the test file that asked for them (makeRepo's also go with cleanup()).
const made: string[] = [];
afterAll(() => {
  while (made.length) removeTree(made.pop()!);
});

export function tempDir(prefix = 'aidev-run-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export interface TempRepo {
  root: string;
  remote: string | null;
  home: string;
  dir: string;
  write(path: string, content: string): void;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A repo with `files` committed on main and, unless `remote: false`, a bare origin holding main. */
export function makeRepo(
  files: Record<string, string> = { 'README.md': '# demo\n' },
  opts: { remote?: boolean } = {},
): TempRepo {
  const dir = tempDir();
  const root = join(dir, 'repo');
  mkdirSync(root);
  const home = join(dir, 'home');
  mkdirSync(home);
  sh(root, ['init', '--quiet', '--initial-branch=main']);
  sh(root, ['config', 'user.email', 'test@example.com']);
  sh(root, ['config', 'user.name', 'Test']);
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  sh(root, ['add', '-A']);
  sh(root, ['commit', '--quiet', '--allow-empty', '-m', 'initial']);
  let remote: string | null = null;
  if (opts.remote !== false) {
    remote = join(dir, 'remote.git');
    sh(dir, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    sh(root, ['remote', 'add', 'origin', remote]);
    sh(root, ['push', '--quiet', 'origin', 'main']);
    sh(root, ['remote', 'set-head', 'origin', 'main']);
  }
  return {
    root,
    remote,
    home,
    dir,
    write,
    git: (...args) => sh(root, args),
    cleanup: () => removeTree(dir),
  };
}

/** A small node project whose test fails until slugify trims its input: the task every run test solves. */
export const SLUG_PROJECT: Record<string, string> = {
  'package.json': '{\n  "name": "slug",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
  'src/slugify.js':
    "export function slugify(text) {\n  return text.toLowerCase().replace(/\\s+/g, '-');\n}\n",
  'test/slugify.test.js': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { slugify } from '../src/slugify.js';",
    "test('lowercases and joins words', () => assert.equal(slugify('Hello World'), 'hello-world'));",
    "test('ignores surrounding spaces', () => assert.equal(slugify('  Hello World  '), 'hello-world'));",
    '',
  ].join('\n'),
  '.gitignore': 'node_modules/\n.aidev/\n',
};

/** The scripted model's side of fixing SLUG_PROJECT: look, edit, test, finish. */
export const SLUG_SCRIPT: unknown[] = [
  { text: 'Reading the code first.', tool: 'read_file', input: { path: 'src/slugify.js' } },
  {
    tool: 'edit_file',
    input: {
      path: 'src/slugify.js',
      old_string: 'return text.toLowerCase()',
      new_string: 'return text.trim().toLowerCase()',
    },
  },
  { tool: 'run_command', input: { command: 'node --test' } },
  {
    tool: 'finish',
    input: { summary: 'slugify now trims surrounding spaces before joining words; node --test passes.' },
  },
];

export const RUN_WORKFLOW = `name: run_test
description: the standard_dev shape, for the run tests
inputs:
  task_id: {required: true, description: the task}
steps:
  - id: task
    uses: tasks.get
    with: {id: "\${inputs.task_id}"}
  - id: start
    uses: tasks.update_status
    with: {status: in_progress}
  - id: branch
    uses: git.create_branch
  - id: code
    agent: {}
  - id: diff
    uses: git.diff
  - id: review
    approval: {message: "Review the change", retry_step: code}
    with: {details: "\${steps.diff.outputs.diff}", summary: "\${steps.diff.outputs.stat}"}
  - id: commit
    uses: git.commit
  - id: push
    uses: git.push
  - id: pr
    uses: vcs.open_pull_request
    with: {title: "\${task.id}: \${task.title}", body: "\${steps.code.outputs.summary}"}
  - id: in_review
    uses: tasks.update_status
    with: {status: in_review}
  - id: comment
    uses: tasks.comment
    with: {body: "Pull request: \${steps.pr.outputs.url}"}
  - id: docs
    uses: docs.upsert_page
    with: {key: "\${task.id}", title: "\${task.title}", markdown: "\${steps.code.outputs.summary}"}
  - id: notify
    uses: chat.notify
    with: {text: "\${task.id} is ready for review", link: "\${steps.pr.outputs.url}"}
`;

export function writeScript(dir: string, lines: unknown[], name = 'script.jsonl'): string {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}
