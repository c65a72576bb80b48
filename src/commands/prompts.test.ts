import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPromptsList, runPromptsShow } from './prompts.js';

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'aidev-prompts-cmd-'));
  execFileSync('git', ['init', '-q'], { cwd: repo });
  mkdirSync(join(repo, '.aidev', 'prompts'), { recursive: true });
  writeFileSync(join(repo, '.aidev', 'prompts', 'pr_description.hbs'), 'Our PR: {{task.id}}\n');
  mkdirSync(join(repo, 'sub'));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('aidev prompts', () => {
  it('lists which file wins, from anywhere in the repository', async () => {
    const result = await runPromptsList({ cwd: join(repo, 'sub'), env: {} });
    expect(result.overrideDir).toBe(join(repo, '.aidev', 'prompts'));
    const byName = Object.fromEntries(result.prompts.map((p) => [p.name, p]));
    expect(byName.pr_description).toMatchObject({
      source: 'project',
      path: join(repo, '.aidev', 'prompts', 'pr_description.hbs'),
    });
    expect(byName.pr_description!.shadows).toMatch(/prompts\/pr_description\.hbs$/);
    expect(byName.code_generation).toMatchObject({ source: 'shipped', shadows: null });
  });

  it('shows the winning template text', async () => {
    await expect(runPromptsShow({ cwd: repo, env: {}, name: 'pr_description' })).resolves.toMatchObject({
      source: 'project',
      text: 'Our PR: {{task.id}}\n',
    });
    const shipped = await runPromptsShow({ cwd: repo, env: {}, name: 'commit_message' });
    expect(shipped.text).toContain('{{#system}}');
  });

  it('refuses an unknown name with the list of known ones', async () => {
    await expect(runPromptsShow({ cwd: repo, env: {}, name: 'nope' })).rejects.toMatchObject({
      code: 'USAGE',
      hint: expect.stringContaining('code_generation'),
    });
  });
});
