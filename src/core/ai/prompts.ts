// Prompt templates: Handlebars files with partials, rendered strictly (a missing variable is an error naming the
// template and the variable, never silent emptiness). `<repo>/.aidev/prompts/<name>.hbs` beats the shipped
// `prompts/<name>.hbs`, and the same goes for partials. A template splits into {{#system}} and {{#user}} sections.
// A prompt given as a file (prompt-file.ts) renders through the same pipeline, after its `{# … #}` comments go.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { AidevError } from '../errors.js';
import { shippedDir } from '../paths.js';
import { dropJinjaComments } from './prompt-file.js';

export interface PromptInfo {
  name: string;
  source: 'project' | 'shipped';
  path: string;
  /** The shipped file a project template hides, if any. */
  shadows: string | null;
}

export interface RenderedPrompt {
  name: string;
  source: 'project' | 'shipped' | 'file';
  path: string;
  /** The {{#system}} section (empty when the template has none). */
  system: string;
  /** The {{#user}} section, or the whole text of a template without sections. */
  user: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function projectPromptDir(repoRoot: string): string {
  return join(repoRoot, '.aidev', 'prompts');
}

function templatesIn(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const file of readdirSync(dir).sort())
    if (file.endsWith('.hbs')) found.set(basename(file, '.hbs'), join(dir, file));
  return found;
}

export function listPrompts(repoRoot: string): PromptInfo[] {
  const shipped = templatesIn(shippedDir('prompts'));
  const project = templatesIn(projectPromptDir(repoRoot));
  const names = [...new Set([...shipped.keys(), ...project.keys()])].sort();
  return names.map((name) => {
    const own = project.get(name);
    if (own) return { name, source: 'project', path: own, shadows: shipped.get(name) ?? null };
    return { name, source: 'shipped', path: shipped.get(name)!, shadows: null };
  });
}

export function findPrompt(name: string, repoRoot: string): PromptInfo | null {
  if (!NAME.test(name)) return null;
  return listPrompts(repoRoot).find((p) => p.name === name) ?? null;
}

function unknownPrompt(name: string, repoRoot: string): AidevError {
  const known = listPrompts(repoRoot).map((p) => p.name);
  return new AidevError('TEMPLATE_ERROR', `no prompt template named "${name}"`, {
    hint: `known templates: ${known.join(', ')}; add your own as ${join(projectPromptDir(repoRoot), `${name}.hbs`)}`,
  });
}

function partials(repoRoot: string): Map<string, { path: string; text: string }> {
  const all = new Map<string, { path: string; text: string }>();
  for (const dir of [join(shippedDir('prompts'), 'partials'), join(projectPromptDir(repoRoot), 'partials')])
    for (const [name, path] of templatesIn(dir)) all.set(name, { path, text: readFileSync(path, 'utf8') });
  return all;
}

interface Sections {
  system?: string;
  user?: string;
}

function environment(partialSources: Map<string, { text: string }>): typeof Handlebars {
  const hb = Handlebars.create();
  for (const [name, { text }] of partialSources) hb.registerPartial(name, text);
  const section = (key: keyof Sections) =>
    function (this: unknown, options: Handlebars.HelperOptions): string {
      (options.data as { sections: Sections }).sections[key] = options.fn(this);
      return '';
    };
  hb.registerHelper('system', section('system'));
  hb.registerHelper('user', section('user'));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  hb.registerHelper('join', (items: unknown, sep: unknown) =>
    Array.isArray(items) ? items.map(String).join(typeof sep === 'string' ? sep : ', ') : '',
  );
  hb.registerHelper('bullets', (items: unknown) =>
    Array.isArray(items) ? items.map((item) => `- ${String(item)}`).join('\n') : '',
  );
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return hb;
}

/** What is being rendered, for results and error messages. */
interface Subject {
  name: string;
  source: RenderedPrompt['source'];
  path: string;
  /** `template "name"` or `file ./prompts/x.txt`. */
  label: string;
}

export function renderPrompt(name: string, vars: Record<string, unknown>, repoRoot: string): RenderedPrompt {
  const info = findPrompt(name, repoRoot);
  if (!info) throw unknownPrompt(name, repoRoot);
  const subject = { name, source: info.source, path: info.path, label: `template "${name}"` };
  return renderText(subject, readFileSync(info.path, 'utf8'), vars, repoRoot);
}

/**
 * Renders a prompt file (an absolute path; `shown` is how the workflow wrote it). `{# … #}` comments are dropped;
 * partials, helpers and strictness are those of the templates.
 */
export function renderPromptFile(
  file: string,
  vars: Record<string, unknown>,
  repoRoot: string,
  shown = file,
): RenderedPrompt {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AidevError('TEMPLATE_ERROR', `cannot read the prompt file ${file}`, {
      hint: `check that ${shown} exists and is readable (\`aidev workflow validate\` checks prompt files)`,
      details: { path: file },
      cause: error,
    });
  }
  const subject = { name: shown, source: 'file' as const, path: file, label: `file ${shown}` };
  return renderText(subject, dropJinjaComments(text), vars, repoRoot);
}

function renderText(
  subject: Subject,
  text: string,
  vars: Record<string, unknown>,
  repoRoot: string,
): RenderedPrompt {
  const partialSources = partials(repoRoot);
  const sections: Sections = {};
  let rest: string;
  try {
    const template = environment(partialSources).compile(text, { strict: true, noEscape: true });
    rest = template(vars, { data: { sections } });
  } catch (error) {
    throw templateError(error, subject, text, partialSources, vars);
  }
  const user = sections.user ?? (sections.system === undefined ? rest : '');
  return {
    name: subject.name,
    source: subject.source,
    path: subject.path,
    system: tidy(sections.system ?? ''),
    user: tidy(user),
  };
}

/** The engine's PromptSource: exists at load time, render (a name) or renderFile (a path) at run time. */
export function createPromptSource(repoRoot: string): {
  exists(name: string): boolean;
  render(name: string, vars: Record<string, unknown>): Promise<RenderedPrompt>;
  renderFile(file: string, vars: Record<string, unknown>, shown?: string): Promise<RenderedPrompt>;
} {
  return {
    exists: (name) => findPrompt(name, repoRoot) !== null,
    render: (name, vars) => Promise.resolve(renderPrompt(name, vars, repoRoot)),
    renderFile: (file, vars, shown) => Promise.resolve(renderPromptFile(file, vars, repoRoot, shown)),
  };
}

function tidy(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

/** The variable path written at a Handlebars error position (line is 1-based, column 0-based). */
function expressionAt(text: string, line: number, column: number): string | null {
  const row = text.split('\n')[line - 1];
  const match = row?.slice(column).match(/^[\w.@/[\]-]+/);
  return match ? match[0] : null;
}

function templateError(
  error: unknown,
  info: Subject,
  text: string,
  partialSources: Map<string, { path: string; text: string }>,
  vars: Record<string, unknown>,
): AidevError {
  const message = error instanceof Error ? error.message : String(error);
  const given = Object.keys(vars).length ? Object.keys(vars).sort().join(', ') : 'none';
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/.exec(message);
  if (missing) {
    const [, leaf, line, column] = missing as unknown as [string, string, string, string];
    const candidates = [{ label: info.label, path: info.path, text }].concat(
      [...partialSources].map(([name, p]) => ({
        label: `partial "${name}" of ${info.label}`,
        path: p.path,
        text: p.text,
      })),
    );
    const at = candidates.find(
      (c) => expressionAt(c.text, Number(line), Number(column))?.split('.').pop() === leaf,
    );
    const expr = (at && expressionAt(at.text, Number(line), Number(column))) ?? leaf;
    return new AidevError(
      'TEMPLATE_ERROR',
      `prompt ${at?.label ?? info.label} uses the variable "${expr}" (line ${line}), but it was not given`,
      {
        hint: `pass "${expr}" when rendering "${info.name}" (given: ${given}), or edit ${at?.path ?? info.path}`,
        details: { template: info.name, variable: expr, path: at?.path ?? info.path },
        cause: error,
      },
    );
  }
  const partial = /^The partial (.+) could not be found$/.exec(message);
  if (partial) {
    return new AidevError(
      'TEMPLATE_ERROR',
      `prompt ${info.label} includes the partial "${partial[1]}", which does not exist`,
      {
        hint: `add prompts/partials/${partial[1]}.hbs (or .aidev/prompts/partials/ in the repository), or fix ${info.path}`,
        details: { template: info.name, partial: partial[1] },
        cause: error,
      },
    );
  }
  return new AidevError(
    'TEMPLATE_ERROR',
    `prompt ${info.label} (${info.path}) cannot be rendered: ${message.split('\n')[0]}`,
    {
      hint: message.includes('\n')
        ? message.split('\n').slice(1).join('\n')
        : 'check the Handlebars syntax: {{var}}, {{#if x}}…{{/if}}, {{> partial}}',
      details: { template: info.name, path: info.path },
      cause: error,
    },
  );
}
