// The `plan:` config block with its defaults. Read defensively: until the block is part of the config schema, a
// config without it (or a hand-made one in tests) still gets the documented defaults.
import type { Config } from '../config/schema.js';

export interface PlanSettings {
  /** Fewest tasks a generated plan may have (a person editing or writing a plan is not held to it). */
  minTasks: number;
  maxTasks: number;
  /** Rounds of "here are the problems, fix them" after the first answer. */
  maxRepairs: number;
  /** Output tokens per planning call (bounded by ai.max_tokens). */
  maxTokens: number | undefined;
  /** Scaffold a new repository here when --scaffold is not given. */
  scaffoldDir: string | undefined;
  /** Characters of README and paths of the file tree given to the model when the project is a repository. */
  contextReadmeChars: number;
  contextFiles: number;
}

export const PLAN_DEFAULTS: PlanSettings = {
  minTasks: 20,
  maxTasks: 200,
  maxRepairs: 2,
  maxTokens: undefined,
  scaffoldDir: undefined,
  contextReadmeChars: 6000,
  contextFiles: 300,
};

/** The longest idea accepted on the command line; longer requests go in a file (--from-file). */
export const MAX_IDEA_CHARS = 100_000;

interface RawPlanBlock {
  min_tasks?: unknown;
  max_tasks?: unknown;
  max_repairs?: unknown;
  max_tokens?: unknown;
  scaffold_dir?: unknown;
  context_readme_chars?: unknown;
  context_files?: unknown;
}

const whole = (value: unknown, min: number): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= min ? value : undefined;

export function planSettings(
  config: Config | Record<string, unknown>,
  overrides: Partial<PlanSettings> = {},
): PlanSettings {
  const raw = ((config as { plan?: unknown }).plan ?? {}) as RawPlanBlock;
  const fromConfig: Partial<PlanSettings> = {};
  const set = <K extends keyof PlanSettings>(key: K, value: PlanSettings[K] | undefined) => {
    if (value !== undefined) fromConfig[key] = value;
  };
  set('minTasks', whole(raw.min_tasks, 1));
  set('maxTasks', whole(raw.max_tasks, 1));
  set('maxRepairs', whole(raw.max_repairs, 0));
  set('maxTokens', whole(raw.max_tokens, 256));
  set('scaffoldDir', typeof raw.scaffold_dir === 'string' && raw.scaffold_dir ? raw.scaffold_dir : undefined);
  set('contextReadmeChars', whole(raw.context_readme_chars, 0));
  set('contextFiles', whole(raw.context_files, 0));
  const merged = { ...PLAN_DEFAULTS, ...fromConfig, ...definedOnly(overrides) };
  if (merged.maxTasks < merged.minTasks) merged.maxTasks = merged.minTasks;
  return merged;
}

/** The settings as a config block (what `plan:` in .aidevrc.yaml would hold), for the engine's config. */
export function settingsBlock(settings: PlanSettings): Record<string, unknown> {
  return {
    min_tasks: settings.minTasks,
    max_tasks: settings.maxTasks,
    max_repairs: settings.maxRepairs,
    max_tokens: settings.maxTokens,
    scaffold_dir: settings.scaffoldDir,
    context_readme_chars: settings.contextReadmeChars,
    context_files: settings.contextFiles,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
