// Reads steps written in the original specification's form (`plugin:` + `action:`, `type: ai_action` +
// `prompt_template:`) as native ones, and says how each was read so `workflow validate` can show it.
import { basename, extname } from 'node:path';
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
  note?: string;
  error?: { message: string; hint: string; key: string };
}

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
          hint: 'name the prompt, e.g. prompt_template: code_generation',
        },
      };
    }
    const prompt = basename(step.prompt_template, extname(step.prompt_template));
    return {
      kind: 'ai',
      spec: { prompt },
      note: `type: ai_action, prompt_template: ${step.prompt_template} → ai: {prompt: ${prompt}}`,
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
