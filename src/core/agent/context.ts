// The agent's first message: the rendered prompt template (task, checks, feedback), extra instructions, what the
// worktree already holds from an earlier round, and the repo map.
import type { Task } from '../../../providers/types.js';
import type { RepoMap } from '../workspace/repo-map.js';

export interface FirstMessageInput {
  promptUser: string;
  instructions?: string | undefined;
  /** Files already changed in the worktree (a feedback round, or a resumed run). */
  alreadyChanged: readonly string[];
  /** Which checks already fail on the base branch (baseline.ts), or null. */
  baseline?: string | null | undefined;
  /** What the monorepo scope of the checks means for the agent (check-scope.ts `scopeForAgent`), or null. */
  scope?: string | null | undefined;
  /** Submodule paths: not checked out, to be left alone. */
  submodules?: readonly string[] | undefined;
  map: RepoMap;
  sandbox: string;
}

export function firstMessage(input: FirstMessageInput): string {
  const parts = [input.promptUser.trim()];
  if (input.instructions?.trim()) parts.push(`Additional instructions:\n${input.instructions.trim()}`);
  if (input.alreadyChanged.length) {
    parts.push(
      `The worktree already holds changes from an earlier attempt (not committed yet) in: ${input.alreadyChanged.slice(0, 50).join(', ')}${input.alreadyChanged.length > 50 ? ', …' : ''}. Check them with \`git diff\` before you go on.`,
    );
  }
  if (input.scope) parts.push(input.scope);
  if (input.baseline) parts.push(input.baseline);
  if (input.submodules?.length)
    parts.push(
      `Git submodules (other repositories, not checked out here; leave them alone): ${input.submodules.join(', ')}`,
    );
  parts.push(`Commands: ${input.sandbox}`);
  parts.push(`## Repository map\n${input.map.text}`);
  return parts.join('\n\n');
}

/** The variables of the code_generation template (see prompts/code_generation.hbs). */
export function promptVars(input: {
  task: Task;
  worktree: string;
  tools: readonly { name: string; description: string }[];
  checks: readonly string[];
  blockedPaths: readonly string[];
  maxTurns: number;
  plan: string | null;
  feedback: string | null;
}): Record<string, unknown> {
  return {
    task: input.task,
    worktree: input.worktree,
    tools: input.tools.map((t) => ({ name: t.name, description: t.description })),
    checks: input.checks,
    blocked_paths: input.blockedPaths,
    max_turns: input.maxTurns,
    plan: input.plan,
    feedback: input.feedback,
  };
}
