// CLI adapters for `aidev prompts list|show`: which template file wins, and its text.
import { runPromptsList, runPromptsShow } from '../../commands/prompts.js';
import type { CliContext } from '../context.js';
import { table } from '../format.js';

export async function promptsListAction(ctx: CliContext): Promise<void> {
  const result = await runPromptsList(ctx.global);
  ctx.print(result, () =>
    [
      table(
        result.prompts.map((p) => [p.name, p.source + (p.shadows ? ' (overrides shipped)' : ''), p.path]),
        ['NAME', 'SOURCE', 'PATH'],
      ),
      '',
      `override one by copying it to ${result.overrideDir}/<name>.hbs`,
    ].join('\n'),
  );
}

export async function promptsShowAction(ctx: CliContext, args: string[]): Promise<void> {
  const result = await runPromptsShow({ ...ctx.global, name: args[0] ?? '' });
  ctx.print(result, () =>
    [
      `# ${result.name}: ${result.source} template, ${result.path}`,
      ...(result.shadows ? [`# (overrides the shipped ${result.shadows})`] : []),
      '',
      result.text,
    ].join('\n'),
  );
}
