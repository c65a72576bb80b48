import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AidevError } from '../errors.js';
import { dropJinjaComments, findPromptFile, isPromptPath } from './prompt-file.js';
import { createPromptSource, renderPromptFile } from './prompts.js';

const SPEC_PROMPT = `{# A prompt in the specification's style.
   Comments may span lines. #}
You are reviewing a {{ task.type }} titled "{{ task.title }}".

{{ task.description }}
{# the end #}`;

const TASK = { id: 'TASK-1', type: 'bug', title: 'Fix the login', description: 'It 500s.' };

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'aidev-prompt-file-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('prompt files', () => {
  it('tells a template name from a path', () => {
    expect(isPromptPath('code_generation')).toBe(false);
    expect(isPromptPath('my-prompt')).toBe(false);
    expect(isPromptPath('./prompts/my_prompt.txt')).toBe(true);
    expect(isPromptPath('my_prompt.txt')).toBe(true);
    expect(isPromptPath('prompts/x')).toBe(true);
  });

  it('renders a specification-style .txt through Handlebars: placeholders filled, {# #} comments gone', () => {
    const file = write('prompts/my_prompt.txt', SPEC_PROMPT);
    const rendered = renderPromptFile(file, { task: TASK }, root, './prompts/my_prompt.txt');
    expect(rendered).toMatchObject({ source: 'file', path: file, system: '' });
    expect(rendered.user).toBe('You are reviewing a bug titled "Fix the login".\n\nIt 500s.');
  });

  it('a missing variable names the file, the variable and its line (comments do not shift lines)', () => {
    const file = write('prompts/my_prompt.txt', SPEC_PROMPT);
    const { type: _type, ...untyped } = TASK;
    let error: unknown;
    try {
      renderPromptFile(file, { task: untyped }, root, './prompts/my_prompt.txt');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AidevError);
    expect((error as AidevError).code).toBe('TEMPLATE_ERROR');
    expect((error as AidevError).message).toBe(
      'prompt file ./prompts/my_prompt.txt uses the variable "task.type" (line 3), but it was not given',
    );
    expect((error as AidevError).hint).toContain(file);
  });

  it('keeps Handlebars blocks and sections: only a lone {# … #} is a comment', () => {
    expect(dropJinjaComments('{{#if a}}x{{/if}} {# c #}y')).toBe('{{#if a}}x{{/if}} y');
    expect(dropJinjaComments('a{# one\ntwo #}b')).toBe('a\nb');
    const file = write(
      'p.hbs',
      '{{#system}}Be brief.{{/system}}{{#user}}{# note #}{{#if x}}yes{{/if}}{{/user}}',
    );
    const rendered = createPromptSource(root).renderFile(file, { x: true });
    return expect(rendered).resolves.toMatchObject({ system: 'Be brief.', user: 'yes' });
  });

  it('looks beside the workflow, then beside its workflows/ folder, then in the project root', () => {
    const workflow = write('spec/workflows/my_custom.yaml', 'x');
    const beside = write('spec/prompts/my_prompt.txt', 'beside');
    expect(findPromptFile('./prompts/my_prompt.txt', workflow, root).file).toBe(beside);
    const near = write('spec/workflows/prompts/my_prompt.txt', 'near');
    expect(findPromptFile('./prompts/my_prompt.txt', workflow, root).file).toBe(near);
    const atRoot = write('prompts/only_here.txt', 'root');
    expect(findPromptFile('prompts/only_here.txt', workflow, root).file).toBe(atRoot);
    const missing = findPromptFile('prompts/none.txt', workflow, root);
    expect(missing.file).toBeUndefined();
    expect(missing.tried).toEqual([
      join(root, 'spec/workflows/prompts/none.txt'),
      join(root, 'spec/prompts/none.txt'),
      join(root, 'prompts/none.txt'),
    ]);
  });

  it('refuses files outside those folders: ../ escapes, absolute paths, symlinks out', () => {
    const project = join(root, 'project');
    const workflow = write('project/.aidev/workflows/w.yaml', 'x');
    write('secret.txt', 'do not send');
    const up = findPromptFile('../../../secret.txt', workflow, project);
    expect(up.file).toBeUndefined();
    expect(up.outside).toBe(join(root, 'secret.txt'));
    expect(findPromptFile(join(root, 'secret.txt'), workflow, project).file).toBeUndefined();
    symlinkSync(join(root, 'secret.txt'), join(project, 'link.txt'));
    expect(findPromptFile('link.txt', workflow, project).file).toBeUndefined();
    const inside = write('project/prompts/ok.txt', 'ok');
    expect(findPromptFile(inside, workflow, project).file).toBe(inside);
  });
});
