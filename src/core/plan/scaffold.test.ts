import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VcsProvider } from '../../../providers/types.js';
import { git, gitIdentity, repoRoot, tempDir } from '../../../test/helpers/temp.js';
import { todoPlan } from '../../../test/integration/plan-kit.js';
import { AidevError } from '../errors.js';
import { outputPath, scaffoldProject, stackFlags, type ScaffoldInput } from './scaffold.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...gitIdentity };
const templatesDir = join(repoRoot, 'templates', 'scaffold');

function input(dir: string, extra: Partial<ScaffoldInput> = {}): ScaffoldInput {
  return {
    dir,
    plan: todoPlan(),
    planId: 'p-7',
    stack: ['TypeScript', 'Node.js'],
    items: [
      { key: 'E1', id: 'TASK-1', url: '.aidev/tasks/TASK-1.md', kind: 'epic', title: 'Project foundation' },
    ],
    templatesDir,
    vcs: null,
    remoteName: 'origin',
    env,
    ...extra,
  };
}

describe('scaffold', () => {
  it('renders the templates into a new repository with one commit, pushed to a bare repo beside it', async () => {
    const dir = join(tempDir(), 'todo-app');
    const progress: string[] = [];
    const result = await scaffoldProject(input(dir, { progress: (m) => progress.push(m) }));
    expect(result.files).toEqual([
      '.github/pull_request_template.md',
      '.github/workflows/ci.yml',
      '.gitignore',
      'README.md',
      'docs/index.md',
    ]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('# Todo app with auth');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
      '- **Accounts and authentication**: 6 tasks',
    );
    const ci = readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8');
    expect(ci).toContain('npm ci');
    expect(ci).not.toContain('pytest');
    const docs = readFileSync(join(dir, 'docs/index.md'), 'utf8');
    expect(docs).toContain('## Project foundation (TASK-1)');
    expect(git(dir, 'log', '--format=%s')).toBe('Scaffold Todo app with auth');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(result.remote).toBe(`${dir}.git`);
    expect(git(`${dir}.git`, 'rev-parse', 'main')).toBe(result.commit);
    expect(progress.at(-1)).toBe(`scaffold: pushed main to ${dir}.git`);
  });

  it('refuses a folder with files in it, but recognises its own earlier scaffold', async () => {
    const dir = join(tempDir(), 'app');
    const first = await scaffoldProject(input(dir));
    const again = await scaffoldProject(input(dir));
    expect(again).toMatchObject({
      commit: first.commit,
      remote: `${dir}.git`,
      note: 'already scaffolded by this plan',
    });
    const other = join(tempDir(), 'busy');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const error = await scaffoldProject(input(other)).catch((e: unknown) => e as AidevError);
    expect(error).toBeInstanceOf(AidevError);
    expect((error as AidevError).message).toBe(`${other} is not empty; the scaffold goes into a new folder`);
  });

  it('leaves the remote to the person when the vcs provider cannot create repositories', async () => {
    const dir = join(tempDir(), 'gh');
    const vcs = { id: 'github' } as VcsProvider;
    const result = await scaffoldProject(input(dir, { vcs }));
    expect(result.remote).toBeNull();
    expect(result.note).toContain('the github provider cannot create repositories in this version');
    expect(existsSync(`${dir}.git`)).toBe(false);
  });

  it('maps template names and stacks', () => {
    expect(outputPath('dot-github/workflows/ci.yml.hbs')).toBe('.github/workflows/ci.yml');
    expect(stackFlags(['Python', 'FastAPI'])).toMatchObject({ python: true, node: false, other: false });
    expect(stackFlags([])).toMatchObject({ other: true });
    expect(stackFlags(['Go'])).toMatchObject({ go: true });
  });
});
