import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitEnvForTests, makeRepo, type TempRepo } from '../../../test/integration/run-fixtures.js';
import { AidevError } from '../errors.js';
import { compileGlobs } from '../security/glob.js';
import { isBinaryPath } from './files.js';
import { buildRepoMap, keywords, listFiles, runSetup, search, symbolsOf, withSizes } from './index.js';

const options = { env: gitEnvForTests };
const blockedGlobs = ['.env', '*.pem'];
const isBlocked = compileGlobs(blockedGlobs);
let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function fixture(): TempRepo {
  const r = makeRepo({
    '.gitignore': 'dist/\n',
    'src/slugify.js': 'export function slugify(text) {\n  return text.toLowerCase();\n}\n',
    'src/money.js': 'export class Money {}\nexport const ZERO = 0;\n',
    'test/slugify.test.js': "import { slugify } from '../src/slugify.js';\n",
    'logo.png': 'PNG\0binary',
    'big.txt': 'x'.repeat(3000),
    '.env': 'API_KEY=secret-value\n',
  });
  r.write('dist/out.js', 'slugify built');
  r.write('notes.md', '# Notes about slugify\n');
  repos.push(r);
  return r;
}

describe('listFiles', () => {
  it('lists tracked files (and untracked ones on request), respects .gitignore, marks binary files; sizes on demand', async () => {
    const r = fixture();
    const tracked = await listFiles(r.root, options);
    expect(tracked.map((f) => f.path)).toEqual([
      '.env',
      '.gitignore',
      'big.txt',
      'logo.png',
      'src/money.js',
      'src/slugify.js',
      'test/slugify.test.js',
    ]);
    expect(tracked.every((f) => f.size === null)).toBe(true);
    const files = await withSizes(r.root, await listFiles(r.root, { ...options, untracked: true }), 2000);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect([...byPath.keys()]).toEqual([
      '.env',
      '.gitignore',
      'big.txt',
      'logo.png',
      'notes.md',
      'src/money.js',
      'src/slugify.js',
      'test/slugify.test.js',
    ]);
    expect(byPath.get('src/slugify.js')!.size).toBe(
      Buffer.byteLength('export function slugify(text) {\n  return text.toLowerCase();\n}\n'),
    );
    expect(byPath.get('notes.md')!.size).toBe(22);
    expect(byPath.get('logo.png')!.kind).toBe('binary');
    expect(byPath.get('big.txt')!.kind).toBe('huge');
    expect(byPath.get('src/money.js')!.kind).toBe('text');
  });

  it('tells binary files by extension, in any case, and only in the last path segment', () => {
    expect(['logo.png', 'a/B.JPG', 'x.Tar.GZ', '.png', 'deep/lib.so'].filter((p) => isBinaryPath(p))).toEqual(
      ['logo.png', 'a/B.JPG', 'x.Tar.GZ', '.png', 'deep/lib.so'],
    );
    expect(['png', 'a.png/readme', 'a.', 'notes.md', 'x.pngs', 'Makefile'].some((p) => isBinaryPath(p))).toBe(
      false,
    );
  });
});

describe('search', () => {
  it('finds matches with ripgrep, never in ignored or blocked files', async () => {
    const r = fixture();
    const result = await search({ root: r.root, pattern: 'slugify', blockedGlobs });
    const paths = [...new Set(result.hits.map((h) => h.path))].sort();
    expect(paths).toEqual(['notes.md', 'src/slugify.js', 'test/slugify.test.js']);
    const secret = await search({ root: r.root, pattern: 'secret-value', blockedGlobs });
    expect(secret.hits).toEqual([]);
    expect(
      (await search({ root: r.root, pattern: 'ZERO', path: 'src', blockedGlobs })).hits[0],
    ).toMatchObject({ path: 'src/money.js', line: 2 });
  });
  it('reports a bad regular expression clearly', async () => {
    const r = fixture();
    await expect(search({ root: r.root, pattern: 'a(', blockedGlobs })).rejects.toThrow(/search failed/);
  });
});

describe('repo map', () => {
  it('ranks files related to the task first, with their symbols, within the budget', async () => {
    const r = fixture();
    const files = await listFiles(r.root, options);
    const map = await buildRepoMap({
      root: r.root,
      files,
      query: 'slugify drops accents',
      tokenBudget: 2000,
      blockedGlobs,
      isBlocked,
    });
    expect(map.related[0]).toBe('src/slugify.js');
    expect(map.text).toContain('export function slugify(text)');
    expect(map.text).not.toContain('.env\n');
    expect(map.tokens).toBeLessThanOrEqual(2000);
  });
  it('stays inside a small budget on a large repo', async () => {
    const files = Array.from({ length: 20_000 }, (_, i) => ({
      path: `pkg${i % 50}/src/mod${i}.ts`,
      size: 100,
      kind: 'text' as const,
    }));
    const r = fixture();
    const map = await buildRepoMap({
      root: r.root,
      files,
      query: 'mod123 parser',
      tokenBudget: 1500,
      blockedGlobs,
      isBlocked,
    });
    expect(map.tokens).toBeLessThanOrEqual(1500);
    expect(map.text).toMatch(/Repository: 20000 files/);
    expect(map.related[0]).toBe('pkg23/src/mod123.ts');
  });
  it('extracts keywords and symbols', () => {
    expect(keywords('Fix `parseConfig` when the YAML has tabs')).toEqual(
      expect.arrayContaining(['parseconfig', 'yaml', 'tabs', 'parse', 'config']),
    );
    expect(symbolsOf('a.py', 'import os\ndef main(argv):\n    pass\nclass Foo(Base):\n')).toEqual([
      'def main(argv):',
      'class Foo(Base):',
    ]);
    expect(symbolsOf('a.go', 'package x\nfunc (s *S) Run() error {\n}\ntype S struct {\n')).toEqual([
      'func (s *S) Run() error',
      'type S struct',
    ]);
  });
});

describe('runSetup', () => {
  it('runs each command in the worktree with live output', async () => {
    const r = fixture();
    const lines: string[] = [];
    const result = await runSetup({
      commands: ['echo one', 'echo two > made.txt'],
      cwd: r.root,
      env: process.env,
      timeoutMs: 10_000,
      onLine: (l) => lines.push(l),
    });
    expect(result.commands.map((c) => c.command)).toEqual(['echo one', 'echo two > made.txt']);
    expect(lines).toEqual(['$ echo one', 'one', '$ echo two > made.txt']);
  });
  it('stops at a failing command with its tail and a hint', async () => {
    const r = fixture();
    writeFileSync(join(r.root, 'fail.sh'), 'echo installing; echo "npm ERR! missing thing" >&2; exit 3\n');
    const error = (await runSetup({
      commands: ['sh fail.sh', 'echo never'],
      cwd: r.root,
      env: process.env,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e)) as AidevError;
    expect(error).toBeInstanceOf(AidevError);
    expect(error.message).toMatch(/"sh fail.sh" exited with code 3/);
    expect(error.message).toContain('npm ERR! missing thing');
    expect(error.hint).toMatch(/workspace.setup/);
  });
  it('says so when the program is missing', async () => {
    const r = fixture();
    const error = (await runSetup({
      commands: ['no-such-installer-xyz ci'],
      cwd: r.root,
      env: process.env,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e)) as AidevError;
    expect(error.hint).toMatch(/not installed/);
  });
});
