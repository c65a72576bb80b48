// The one table of provider actions (`uses: <category>.<action>`). Adding an action is one entry in its category file.
import { closest } from '../../config/issues.js';
import { planActions } from '../../plan/actions.js';
import type { ProviderAction } from '../types.js';
import { chatActions } from './chat.js';
import { docsActions } from './docs.js';
import { gitActions } from './git.js';
import { taskFieldsActions } from './task-fields.js';
import { tasksActions } from './tasks.js';
import { vcsActions } from './vcs.js';
import { workflowActions } from './workflow.js';

const table = new Map<string, ProviderAction>();
for (const action of [
  ...tasksActions,
  ...taskFieldsActions,
  ...gitActions,
  ...vcsActions,
  ...docsActions,
  ...chatActions,
  ...workflowActions,
  // plan.generate, plan.review, plan.publish, plan.scaffold, plan.document: the steps of plan_project (`aidev plan`).
  ...planActions,
]) {
  table.set(action.name, action);
}

/** Adds or replaces an action (tests, and a build that ships more actions). */
export function registerAction(action: ProviderAction): void {
  table.set(action.name, action);
}

export function findAction(name: string): ProviderAction | undefined {
  return table.get(name);
}

export function actionNames(): string[] {
  return [...table.keys()].sort();
}

export function listActions(): ProviderAction[] {
  return [...table.values()];
}

export function suggestAction(name: string): string | undefined {
  return closest(name, actionNames());
}
