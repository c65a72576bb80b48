// Idea → validated plan through the model client (so the budget guard, redaction and ledger apply). The model answers
// through a forced tool whose input schema is the plan's JSON Schema; when the answer is not JSON, breaks the schema or
// a check, the exact problems go back to it, up to plan.max_repairs times. Then it fails with the last problems, and
// the last answer is saved to a file for a person to fix and publish with --from-file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AiContentBlock, AiMessage } from '../../../providers/types.js';
import type { ModelClient, PromptSource } from '../engine/types.js';
import { AidevError } from '../errors.js';
import { dotted, validatePlan, type PlanIssue } from './checks.js';
import type { RepoContext } from './context.js';
import { extractPlan } from './parse-output.js';
import type { ProjectRequest } from './request.js';
import { planJsonSchema, type Plan } from './schema.js';
import type { PlanSettings } from './settings.js';

export const PLAN_TOOL = 'submit_plan';
export const PLAN_PROMPT = 'plan_project';

export interface GenerateInput {
  request: ProjectRequest;
  context: RepoContext | null;
  /** A person's notes on `previous`, for a regenerated draft. */
  feedback?: { text: string; previous: Plan } | undefined;
  settings: PlanSettings;
  model: ModelClient;
  prompts: PromptSource;
  signal: AbortSignal;
  /** Folder where the last answer is saved when the plan cannot be repaired. */
  rawDir: string;
  planId: string;
  progress?: ((message: string) => void) | undefined;
}

export interface GenerateResult {
  plan: Plan;
  /** Model calls made: 1 when the first answer was valid. */
  attempts: number;
  model: string;
}

export function promptVars(
  input: Pick<GenerateInput, 'request' | 'context' | 'feedback' | 'settings'>,
): Record<string, unknown> {
  const vars: Record<string, unknown> = {
    idea: input.request.idea,
    requirements: input.request.requirements,
    stack: input.request.stack,
    min_tasks: input.settings.minTasks,
    max_tasks: input.settings.maxTasks,
  };
  if (input.context)
    vars.context = {
      readme: input.context.readme,
      files: input.context.files,
      moreFiles: input.context.moreFiles,
    };
  if (input.feedback) {
    vars.feedback = input.feedback.text;
    vars.previous = JSON.stringify(input.feedback.previous);
  }
  return vars;
}

export async function generatePlan(input: GenerateInput): Promise<GenerateResult> {
  const { settings, model } = input;
  const prompt = await input.prompts.render(PLAN_PROMPT, promptVars(input));
  const messages: AiMessage[] = [{ role: 'user', content: prompt.user }];
  const tools = [
    {
      name: PLAN_TOOL,
      description: 'Submit the complete project plan. Call it exactly once, with every epic and task.',
      inputSchema: planJsonSchema(),
    },
  ];
  const limits = { minTasks: settings.minTasks, maxTasks: settings.maxTasks };
  const rounds = settings.maxRepairs + 1;
  let last: { raw: string; value: unknown; problems: PlanIssue[] } | undefined;
  for (let attempt = 1; attempt <= rounds; attempt++) {
    input.progress?.(
      attempt === 1
        ? `drafting the plan with ${model.model}`
        : `repair ${attempt - 1} of ${settings.maxRepairs}`,
    );
    const response = await model.complete(
      {
        system: prompt.system,
        messages: [...messages],
        tools,
        toolChoice: { type: 'tool', name: PLAN_TOOL },
        maxTokens: settings.maxTokens,
      },
      { signal: input.signal },
    );
    const extracted = extractPlan(response, PLAN_TOOL);
    let problems: PlanIssue[];
    if (extracted.ok) {
      const checked = validatePlan(extracted.value, limits);
      if (checked.ok) return { plan: checked.plan, attempts: attempt, model: response.model };
      problems = checked.issues;
    } else problems = [{ path: [], message: extracted.problem }];
    last = { raw: extracted.raw, value: extracted.ok ? extracted.value : undefined, problems };
    if (attempt === rounds) break;
    input.progress?.(
      `answer ${attempt}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${firstLine(problems[0]!)}); sending them back`,
    );
    messages.push({ role: 'assistant', content: response.content });
    messages.push({ role: 'user', content: repairTurn(response.content, repairText(problems)) });
  }
  const saved = saveRaw(input.rawDir, input.planId, last!);
  throw new AidevError(
    'STEP_FAILED',
    `the model's plan is still invalid after ${settings.maxRepairs} repair${settings.maxRepairs === 1 ? '' : 's'}:\n${last!.problems
      .slice(0, 5)
      .map((p) => `  ${p.path.length ? `${dotted(p.path)}: ` : ''}${p.message}`)
      .join('\n')}${last!.problems.length > 5 ? `\n  and ${last!.problems.length - 5} more` : ''}`,
    {
      hint: `its last answer is saved in ${saved}; fix it and publish it with \`aidev plan --from-file ${saved}\`, or rephrase the idea and try again`,
      details: { rawFile: saved, problems: last!.problems },
    },
  );
}

export function repairText(problems: readonly PlanIssue[]): string {
  const lines = problems
    .slice(0, 40)
    .map((p) => `- ${p.path.length ? `${dotted(p.path)}: ` : ''}${p.message}`);
  if (problems.length > 40) lines.push(`- and ${problems.length - 40} more of the same kinds`);
  return [
    `The plan cannot be used yet. ${problems.length === 1 ? 'One problem' : `${problems.length} problems`}:`,
    ...lines,
    `Fix every one and call ${PLAN_TOOL} again with the whole corrected plan (not only the changed parts).`,
  ].join('\n');
}

/** After a tool call the next user turn must answer it with a tool_result; after text, plain text will do. */
function repairTurn(content: readonly AiContentBlock[], text: string): AiMessage['content'] {
  const calls = content.filter(
    (b): b is Extract<AiContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
  );
  if (!calls.length) return text;
  return calls.map((call, i) => ({
    type: 'tool_result' as const,
    toolUseId: call.id,
    content: i === 0 ? text : 'Not used: only one plan is expected.',
    isError: true,
  }));
}

function saveRaw(dir: string, planId: string, last: { raw: string; value: unknown }): string {
  mkdirSync(dir, { recursive: true });
  const json = last.value !== undefined && typeof last.value === 'object';
  const file = join(dir, `${planId}-rejected.${json ? 'json' : 'txt'}`);
  writeFileSync(file, json ? `${JSON.stringify(last.value, null, 2)}\n` : last.raw);
  return file;
}

function firstLine(issue: PlanIssue): string {
  const text = `${issue.path.length ? `${dotted(issue.path)}: ` : ''}${issue.message}`;
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
