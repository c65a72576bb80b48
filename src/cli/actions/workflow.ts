// CLI adapters for `aidev workflow list|show|validate|run`.
import {
  formatValidation,
  parseInputs,
  runWorkflowList,
  runWorkflowRun,
  runWorkflowShow,
  runWorkflowValidate,
} from '../../commands/workflow.js';
import { ExitCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { table, truncate } from '../format.js';
import { executeWithUi } from '../run-ui.js';

export async function workflowListAction(ctx: CliContext): Promise<void> {
  const result = await runWorkflowList(ctx.global);
  ctx.print(result, () =>
    result.workflows.length
      ? table(
          result.workflows.map((w) => [
            w.name,
            w.source + (w.shadows.length ? ' (overrides)' : ''),
            w.valid ? String(w.steps) : `${w.problems} problem${w.problems === 1 ? '' : 's'}`,
            truncate(w.description, 50),
            w.file,
          ]),
          ['NAME', 'SOURCE', 'STEPS', 'DESCRIPTION', 'FILE'],
        )
      : 'no workflows found',
  );
}

export async function workflowShowAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown> = {},
): Promise<void> {
  const result = await runWorkflowShow({ ...ctx.global, name: args[0] ?? '', native: opts.native === true });
  const native = result.native;
  // The native text alone on stdout, so `> workflow.yaml` gives a file to keep; how each step was read goes to stderr.
  if (native && ctx.output === 'text') {
    if (native.rewritten.length) ctx.io.stderr.write(native.rewritten.join('\n') + '\n');
    ctx.io.stdout.write(native.yaml.endsWith('\n') ? native.yaml : native.yaml + '\n');
    return;
  }
  ctx.print(result, () => {
    const inputs = Object.entries(result.inputs).map(
      ([name, d]) =>
        `  ${name}${d.required ? '' : ` (default ${JSON.stringify(d.default)})`}${d.description ? `: ${d.description}` : ''}`,
    );
    const steps = table(
      result.steps.map((s) => [
        s.id,
        s.kind,
        truncate(s.does, 40),
        [
          s.if ? `if ${s.if}` : '',
          s.onError !== 'fail' ? `on_error ${s.onError}` : '',
          s.retry ? `retry ×${s.retry.maxAttempts}` : '',
          s.compensate ? `compensate ${s.compensate}` : '',
        ]
          .filter(Boolean)
          .join(', '),
      ]),
      ['STEP', 'KIND', 'DOES', 'NOTES'],
    );
    return [
      `${result.name}${result.title ? ` "${result.title}"` : ''} (${result.source}, ${result.file})`,
      result.description,
      '',
      'inputs:',
      ...(inputs.length ? inputs : ['  (none)']),
      '',
      steps,
    ].join('\n');
  });
}

export async function workflowValidateAction(ctx: CliContext, args: string[]): Promise<number> {
  const result = await runWorkflowValidate({ cwd: ctx.global.cwd, file: args[0] ?? '' });
  if (ctx.output === 'text') {
    const text = formatValidation(result);
    (result.valid ? ctx.io.stdout : ctx.io.stderr).write(text + '\n');
  } else ctx.print(result, '');
  return result.valid ? ExitCode.ok : ExitCode.usage;
}

export async function workflowRunAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const inputs = parseInputs((opts.input as string[] | undefined) ?? []);
  return executeWithUi(ctx, (bus, approver, signal) =>
    runWorkflowRun(
      { ...ctx.global, target: args[0] ?? '', inputs, rollback: opts.rollback !== false },
      { emit: bus.emit, approver, signal },
    ),
  );
}
