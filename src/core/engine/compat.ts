// Reads steps written in the original specification's form (`plugin:` + `action:`, `type: ai_action` +
// `prompt_template:`) as native ones, and says how each was read so `workflow validate` can show it. to-native.ts
// prints the same reading back as native YAML.
import { closest } from '../config/issues.js';
import type { RawStep } from './workflow-schema.js';

const PLUGIN_CATEGORY: Record<string, string> = {
  task_management: 'tasks',
  version_control: 'vcs',
  documentation: 'docs',
  communication: 'chat',
};

/** `<category>.<spec action>` → the native action. */
const ACTION_MAP: Record<string, string> = {
  'tasks.get_task': 'tasks.get',
  'tasks.create_task': 'tasks.create',
  'tasks.update_task_status': 'tasks.update_status',
  'tasks.update_status': 'tasks.update_status',
  'tasks.add_comment': 'tasks.comment',
  'tasks.comment': 'tasks.comment',
  'vcs.create_pull_request': 'vcs.open_pull_request',
  'vcs.open_pull_request': 'vcs.open_pull_request',
  'vcs.add_comment': 'vcs.comment',
  'vcs.comment': 'vcs.comment',
  'vcs.create_branch': 'git.create_branch',
  'vcs.commit': 'git.commit',
  'vcs.commit_changes': 'git.commit',
  'vcs.push': 'git.push',
  'vcs.push_branch': 'git.push',
  'vcs.get_diff': 'git.diff',
  'docs.create_page': 'docs.upsert_page',
  'docs.update_page': 'docs.upsert_page',
  'docs.upsert_page': 'docs.upsert_page',
  'docs.create_documentation': 'docs.upsert_page',
  'docs.update_documentation': 'docs.upsert_page',
  'chat.send_notification': 'chat.notify',
  'chat.send_message': 'chat.notify',
  'chat.notify': 'chat.notify',
};

export interface CompatResult {
  /** The native kind key and block to use instead. */
  kind?: string;
  spec?: unknown;
  /** The step's `outputs:` as the native kind names them, when they differ (`result` of an ai_action is `text`). */
  outputs?: Record<string, string>;
  note?: string;
  error?: { message: string; hint: string; key: string };
}

/** Inputs an action accepts under the specification's name too; the native form writes the native one. */
export const SPEC_INPUT_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'chat.notify': { message: 'text' },
};

/** What an `ai:` step returns besides its text; any other name in an ai_action's `outputs:` means the text. */
const AI_OUTPUTS = ['text', 'data', 'model', 'stop_reason'];

export function isSpecStyle(step: RawStep): boolean {
  return (
    step.plugin !== undefined ||
    step.action !== undefined ||
    step.type !== undefined ||
    step.prompt_template !== undefined
  );
}

export function readSpecStep(step: RawStep): CompatResult {
  if (step.type !== undefined && step.type !== 'ai_action' && step.type !== 'plugin_action') {
    return {
      error: {
        key: 'type',
        message: `unknown step type "${step.type}"`,
        hint: 'the specification form knows `type: ai_action` (with prompt_template) and plugin steps (plugin + action)',
      },
    };
  }
  if (step.type === 'ai_action' || (step.prompt_template !== undefined && step.plugin === undefined)) {
    if (step.prompt_template === undefined) {
      return {
        error: {
          key: 'type',
          message: '`type: ai_action` needs `prompt_template:`',
          hint: 'give a prompt file (prompt_template: ./prompts/my_prompt.txt) or a template name (code_generation)',
        },
      };
    }
    const prompt = step.prompt_template;
    const renamed = Object.keys(step.outputs ?? {}).filter((name) => !AI_OUTPUTS.includes(name));
    if (renamed.length > 1 || (renamed.length === 1 && step.outputs?.text !== undefined)) {
      return {
        error: {
          key: 'outputs',
          message: `an ai_action step has one text result, but outputs names it ${renamed.length > 1 ? renamed.join(' and ') : `${renamed[0]!} and text`}`,
          hint: 'publish it once, e.g. outputs: {result: processed_data}',
        },
      };
    }
    const outputs = renamed.length
      ? Object.fromEntries(
          Object.entries(step.outputs ?? {}).map(([name, alias]) => [
            renamed.includes(name) ? 'text' : name,
            alias,
          ]),
        )
      : undefined;
    return {
      kind: 'ai',
      spec: { prompt },
      outputs,
      note:
        `type: ai_action, prompt_template: ${prompt} → ai: {prompt: ${prompt}}` +
        (renamed.length ? `, outputs.${renamed[0]!} → outputs.text (the model's text)` : ''),
    };
  }
  if (step.plugin === undefined || step.action === undefined) {
    const missing = step.plugin === undefined ? 'plugin' : 'action';
    return {
      error: {
        key: step.plugin === undefined ? 'action' : 'plugin',
        message: `a plugin step needs both \`plugin:\` and \`action:\` (\`${missing}:\` is missing)`,
        hint: 'e.g. plugin: task_management, action: get_task — or write the native `uses: tasks.get`',
      },
    };
  }
  const category = PLUGIN_CATEGORY[step.plugin];
  if (!category) {
    const guess = closest(step.plugin, Object.keys(PLUGIN_CATEGORY));
    return {
      error: {
        key: 'plugin',
        message: `unknown plugin "${step.plugin}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        hint: `plugins are ${Object.keys(PLUGIN_CATEGORY).join(', ')}`,
      },
    };
  }
  const native = ACTION_MAP[`${category}.${step.action}`];
  if (!native) {
    const known = Object.keys(ACTION_MAP)
      .filter((k) => k.startsWith(category + '.'))
      .map((k) => k.slice(category.length + 1));
    const guess = closest(step.action, known);
    return {
      error: {
        key: 'action',
        message: `unknown ${step.plugin} action "${step.action}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        hint: `${step.plugin} actions are ${known.join(', ')}`,
      },
    };
  }
  return {
    kind: 'uses',
    spec: native,
    note: `plugin: ${step.plugin}, action: ${step.action} → uses: ${native}`,
  };
}

/**
 * Where a native key of a specification-style step is written in its file, so an issue found on the native reading
 * points at the line the user wrote: `with` is `inputs`, `uses` is `action`, `ai` is `prompt_template`.
 */
export function specPath(kind: string, path: readonly (string | number)[]): (string | number)[] {
  const [first, ...rest] = path;
  if (first === 'with') return ['inputs', ...rest];
  if (first === 'uses' && kind === 'uses') return ['action'];
  if (first === 'ai' && kind === 'ai') return ['prompt_template'];
  return [...path];
}
