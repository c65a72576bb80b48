// The project request: the idea plus requirements and stack, from flags and/or a --from-file. A --from-file holds
// either a request ({description, requirements[], tech_stack[]}) or a finished plan ({project, epics[]}); the shape
// decides which, and a finished plan skips the model.
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { AidevError } from '../errors.js';
import { parseYamlSource, type YamlSource } from '../yaml-source.js';
import { formatPlanIssues, validatePlan, type PlanIssue, type TaskLimits } from './checks.js';
import type { Plan } from './schema.js';
import { MAX_IDEA_CHARS } from './settings.js';

export interface ProjectRequest {
  idea: string;
  requirements: string[];
  stack: string[];
}

export type PlanFile =
  | {
      kind: 'request';
      file: string;
      request: { description?: string | undefined; requirements: string[]; stack: string[] };
    }
  | { kind: 'plan'; file: string; plan: Plan };

/** Files past this size are not a request or a plan anyone wrote; refusing early beats a confusing model error. */
const MAX_FILE_BYTES = 2_000_000;

const requestSchema = z.strictObject({
  description: z.string().optional(),
  requirements: z.array(z.string()).default([]),
  tech_stack: z.array(z.string()).default([]),
});

export function readPlanFile(path: string, cwd: string, limits: TaskLimits): PlanFile {
  const file = resolve(cwd, path);
  const shown = relative(cwd, file) || file;
  let text: string;
  try {
    if (statSync(file).size > MAX_FILE_BYTES)
      throw new AidevError('USAGE', `${shown} is over ${MAX_FILE_BYTES / 1_000_000} MB`, {
        hint: 'a request or a plan is a small JSON or YAML file',
      });
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof AidevError) throw error;
    throw new AidevError(
      'USAGE',
      `cannot read ${shown} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        hint: 'check the --from-file path (relative to the current directory)',
        cause: error,
      },
    );
  }
  const source = parseSource(text, shown, extname(file).toLowerCase() === '.json');
  const value = source.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new AidevError('USAGE', `${shown} holds no object`, { hint: SHAPES });
  }
  if ('epics' in value) {
    const checked = validatePlan(value, limits);
    if (!checked.ok) throw invalidPlanFile(shown, checked.issues, source);
    return { kind: 'plan', file, plan: checked.plan };
  }
  const parsed = requestSchema.safeParse(value);
  if (!parsed.success) {
    const issues: PlanIssue[] = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({
            path: [k],
            message: `unknown field "${k}" (a request has description, requirements, tech_stack)`,
          }))
        : [{ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }],
    );
    throw new AidevError(
      'USAGE',
      `${shown} is not a valid project request:\n${formatPlanIssues(issues, 5, (p) => source.where(p))}`,
      {
        hint: SHAPES,
      },
    );
  }
  return {
    kind: 'request',
    file,
    request: {
      description: parsed.data.description,
      requirements: parsed.data.requirements,
      stack: parsed.data.tech_stack,
    },
  };
}

const SHAPES =
  'a request is {description, requirements[], tech_stack[]}; a finished plan is {project: {name, summary}, epics: [{key, title, tasks: [...]}]}';

export function invalidPlanFile(shown: string, issues: PlanIssue[], source: YamlSource): AidevError {
  return new AidevError(
    'USAGE',
    `${shown} is not a valid plan (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${formatPlanIssues(issues, 5, (p) => source.where(p))}`,
    { hint: 'fix the plan file and run the command again; `aidev plan --help` lists the fields' },
  );
}

function parseSource(text: string, file: string, json: boolean): YamlSource {
  if (json) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new AidevError('USAGE', `${file} is not valid JSON: ${(error as Error).message}`, {
        hint: 'check the file with a JSON linter, or write it as YAML',
      });
    }
    // JSON is YAML too, so positions come from the YAML parser when it agrees; otherwise errors name paths only.
    const yaml = parseYamlSource(text, file);
    return yaml.errors.length
      ? { ...yaml, value, errors: [], where: () => file, positionOf: () => undefined }
      : { ...yaml, value };
  }
  const source = parseYamlSource(text, file);
  if (source.errors.length) {
    const first = source.errors[0]!;
    throw new AidevError('USAGE', `${file}:${first.pos.line}:${first.pos.col}: ${first.message}`, {
      hint: 'fix the YAML syntax (indent with spaces; quote text with a colon in it)',
    });
  }
  return source;
}

/** Merges the flags with a request file and checks what the model would get. */
export function buildRequest(input: {
  idea?: string | undefined;
  requirements?: readonly string[] | undefined;
  stack?: readonly string[] | undefined;
  file?: Extract<PlanFile, { kind: 'request' }> | undefined;
}): ProjectRequest {
  const fromArgs = input.idea ?? '';
  if (fromArgs.length > MAX_IDEA_CHARS) {
    throw new AidevError(
      'USAGE',
      `the idea is ${fromArgs.length.toLocaleString('en-US')} characters; the command line takes at most ${MAX_IDEA_CHARS.toLocaleString('en-US')}`,
      {
        hint: 'put it in a file and pass --from-file request.yaml with {description, requirements[], tech_stack[]}',
      },
    );
  }
  const idea = [fromArgs.trim(), input.file?.request.description?.trim() ?? ''].filter(Boolean).join('\n\n');
  const requirements = clean([...(input.file?.request.requirements ?? []), ...(input.requirements ?? [])]);
  const stack = clean([...(input.file?.request.stack ?? []), ...(input.stack ?? [])]);
  if (!idea) {
    throw new AidevError('USAGE', 'the idea is empty: there is nothing to plan', {
      hint: input.file
        ? `give ${basename(input.file.file)} a "description", or pass the idea: aidev plan "A todo app with auth"`
        : 'describe the project: aidev plan "A todo app with auth" (or --from-file request.yaml)',
    });
  }
  return { idea, requirements, stack };
}

function clean(items: readonly string[]): string[] {
  return [...new Set(items.map((s) => s.trim()).filter(Boolean))];
}
