// `ai: {prompt, schema?}`: renders a prompt template and makes one model call through ctx.model() (which carries
// redaction, rate limit, budget and the ledger). With `schema:` the model must answer through a forced tool whose input
// schema is that JSON Schema; the answer is validated, and one repair turn is allowed before the step fails.
// `prompt:` is a template name, or a file path (prompt-file.ts says where it is looked for).
import { z } from 'zod';
import type { AiContentBlock, AiMessage } from '../../../../providers/types.js';
import { findPromptFile, isPromptPath, promptBases } from '../../ai/prompt-file.js';
import { findPrompt, renderPromptFile } from '../../ai/prompts.js';
import { AidevError } from '../../errors.js';
import type { RenderedPrompt, StepContext, StepKindHandler, ValidationIssue } from '../types.js';

export interface AiSpec {
  prompt: string;
  schema?: Record<string, unknown> | undefined;
  max_tokens?: number | undefined;
  temperature?: number | undefined;
  /** Name of the forced tool for structured output (a prompt may refer to it, e.g. submit_plan). */
  tool?: string | undefined;
}

export const STRUCTURED_TOOL = 'submit_result';

export const aiStepKind: StepKindHandler<AiSpec> = {
  kind: 'ai',
  schema: z.strictObject({
    prompt: z.string({ error: 'ai: needs `prompt:`, the name of a prompt template or a prompt file' }).min(1),
    schema: z.record(z.string(), z.unknown()).optional(),
    max_tokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    tool: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'a tool name is lower_snake_case')
      .optional(),
  }),
  validate(spec, step, ctx) {
    const issues: ValidationIssue[] = [];
    if (isPromptPath(spec.prompt)) {
      const problem = promptFileProblem(spec.prompt, step.where.file, ctx.repoRoot);
      if (problem) issues.push({ ...problem, path: ['ai', 'prompt'] });
    } else if (!ctx.promptExists(spec.prompt)) {
      issues.push({
        message: `no prompt template named "${spec.prompt}"`,
        hint: `add .aidev/prompts/${spec.prompt}.hbs to the repository, or use one of \`aidev prompts list\``,
        path: ['ai', 'prompt'],
      });
    }
    if (spec.schema) {
      const problem = schemaProblem(spec.schema);
      if (problem)
        issues.push({
          message: `ai.schema: ${problem}`,
          hint: 'write a JSON Schema with `type: object` and `properties:`',
          path: ['ai', 'schema'],
        });
    }
    return issues;
  },
  outputs: (spec) =>
    spec.schema ? ['text', 'data', 'model', 'stop_reason'] : ['text', 'model', 'stop_reason'],
  async execute(spec, input, ctx) {
    const vars = { ...ctx.scope(), ...input };
    const prompt = await renderStepPrompt(spec.prompt, vars, ctx);
    const model = await ctx.model();
    const messages: AiMessage[] = [{ role: 'user', content: prompt.user }];
    const tool = spec.tool ?? STRUCTURED_TOOL;
    const structured = spec.schema
      ? {
          tools: [
            {
              name: tool,
              description: 'Submit the result. Call this exactly once with the complete answer.',
              inputSchema: spec.schema,
            },
          ],
          toolChoice: { type: 'tool' as const, name: tool },
        }
      : {};
    const ask = () =>
      model.complete(
        {
          system: prompt.system,
          messages,
          maxTokens: spec.max_tokens,
          temperature: spec.temperature,
          ...structured,
        },
        { signal: ctx.signal, onText: (text) => ctx.progress(text, 'model') },
      );
    let response = await ask();
    const text = textOf(response.content);
    if (!spec.schema) return { text, model: response.model, stop_reason: response.stopReason };

    const validator = z.fromJSONSchema(spec.schema);
    for (let round = 1; ; round++) {
      const call = response.content.find(
        (b): b is Extract<AiContentBlock, { type: 'tool_use' }> => b.type === 'tool_use' && b.name === tool,
      );
      const parsed = call ? validator.safeParse(call.input) : undefined;
      if (call && parsed?.success) {
        return {
          text: textOf(response.content),
          data: parsed.data,
          model: response.model,
          stop_reason: response.stopReason,
        };
      }
      const problem = call
        ? parsed!
            .error!.issues.slice(0, 5)
            .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ')
        : `the model answered without calling ${tool}`;
      if (round >= 2 || !call) {
        throw new AidevError(
          'STEP_FAILED',
          `step ${ctx.stepId}: the model's structured answer does not match ai.schema: ${problem}`,
          {
            hint: 'retry the step (on_error: retry), simplify the schema, or make the prompt state the expected shape',
          },
        );
      }
      messages.push({ role: 'assistant', content: response.content });
      messages.push({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            toolUseId: call.id,
            content: `Invalid: ${problem}. Call ${tool} again with a corrected answer.`,
            isError: true,
          },
        ],
      });
      response = await ask();
    }
  },
};

async function renderStepPrompt(
  ref: string,
  vars: Record<string, unknown>,
  ctx: StepContext,
): Promise<RenderedPrompt> {
  if (!isPromptPath(ref)) {
    if (!ctx.prompts) throw new AidevError('INTERNAL', 'no prompt templates are wired into this run');
    return ctx.prompts.render(ref, vars);
  }
  // Looked up again at run time: a resumed run may find the file moved since the workflow was validated.
  const found = findPromptFile(ref, ctx.workflow.file, ctx.repoRoot);
  if (!found.file) {
    const problem = promptFileProblem(ref, ctx.workflow.file, ctx.repoRoot)!;
    throw new AidevError('TEMPLATE_ERROR', `step ${ctx.stepId}: ${problem.message}`, {
      hint: problem.hint,
      details: { nonRetryable: true, tried: found.tried },
    });
  }
  if (ctx.prompts?.renderFile) return ctx.prompts.renderFile(found.file, vars, ref);
  return renderPromptFile(found.file, vars, ctx.repoRoot, ref);
}

/** Why a prompt file cannot be used (not found anywhere, or outside the folders a workflow may read), if it cannot. */
export function promptFileProblem(
  ref: string,
  workflowFile: string,
  repoRoot: string,
): { message: string; hint: string } | undefined {
  const found = findPromptFile(ref, workflowFile, repoRoot);
  if (found.file) return undefined;
  if (found.outside)
    return {
      message: `the prompt file ${ref}${found.outside === ref ? '' : ` (${found.outside})`} is outside the project`,
      hint: `keep prompt files in the repository or beside the workflow: ${promptBases(workflowFile, repoRoot).join(', ')}`,
    };
  const stem = ref.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const template = findPrompt(stem, repoRoot) ? stem : undefined;
  return {
    message: `no prompt file ${ref} (looked at ${found.tried.join(', ')})`,
    hint: template
      ? `to use the prompt template "${template}", write its name alone: ${template}`
      : "a relative path is tried from the workflow file's folder, the folder holding workflows/, then the project root; or give a template name (`aidev prompts list`)",
  };
}

function textOf(content: AiContentBlock[]): string {
  return content
    .filter((b): b is Extract<AiContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

function schemaProblem(schema: Record<string, unknown>): string | undefined {
  if (schema.type !== 'object')
    return 'the top level must be `type: object` (it is the input of a tool call)';
  try {
    z.fromJSONSchema(schema);
    return undefined;
  } catch (error) {
    return `not a usable JSON Schema (${(error as Error).message})`;
  }
}
