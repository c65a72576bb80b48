// CLI adapter for `aidev init`: on a TTY asks with @inquirer/prompts; otherwise takes flags (needs --yes to write).
import { planInit, runInit, type InitChoices } from '../../commands/init.js';
import { providerIds } from '../../core/config/schema.js';
import { AidevError } from '../../core/errors.js';
import type { CliContext } from '../context.js';

export async function initAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  let choices: InitChoices = {
    tasks: opts.tasks as string | undefined,
    vcs: opts.vcs as string | undefined,
    ai: opts.ai as string | undefined,
    model: opts.model as string | undefined,
  };
  const force = opts.force === true;
  if (ctx.interactive && !ctx.global.yes) {
    const plan = await planInit({ ...ctx.global, choices });
    if (plan.exists && !force)
      throw new AidevError('USAGE', `${plan.file} already exists`, { hint: 'pass --force to overwrite it' });
    const { select, input, confirm } = await import('@inquirer/prompts');
    const pick = (category: 'tasks' | 'vcs' | 'ai', message: string, initial: string) =>
      select({
        message,
        default: initial,
        choices: providerIds(category).map((id) => ({ value: id, name: id })),
      });
    const list = (text: string) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    for (const note of plan.notes) ctx.io.stderr.write(`note: ${note}\n`);
    choices = {
      tasks: await pick('tasks', 'Task tracker', plan.choices.tasks),
      vcs: await pick('vcs', 'Code host', plan.choices.vcs),
      ai: await pick('ai', 'Model provider', plan.choices.ai),
      model:
        (await input({ message: 'Model id (empty: provider default)', default: choices.model ?? '' })) ||
        undefined,
      setup: list(
        await input({
          message: 'Worktree setup commands (comma-separated)',
          default: plan.detected.setup.join(', '),
        }),
      ),
      checks: list(
        await input({
          message: 'Checks that must pass (comma-separated)',
          default: plan.detected.checks.join(', '),
        }),
      ),
    };
    const preview = await planInit({ ...ctx.global, choices });
    ctx.io.stderr.write(`\n${preview.yaml}\n`);
    if (!(await confirm({ message: `Write ${preview.file}?`, default: true }))) {
      ctx.print({ written: false }, 'nothing written');
      return;
    }
  } else if (!ctx.global.yes) {
    const plan = await planInit({ ...ctx.global, choices });
    ctx.print(
      { ...plan, written: false },
      `${plan.yaml}\n# not written: pass --yes to write ${plan.file} non-interactively`,
    );
    return;
  }
  const result = await runInit({ ...ctx.global, choices, force });
  ctx.print(result, () =>
    [...result.notes.map((n) => `note: ${n}`), `wrote ${result.file}`, 'next: aidev doctor'].join('\n'),
  );
}
