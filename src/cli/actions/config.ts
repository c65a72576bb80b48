// CLI adapters for `aidev config show|validate`.
import { stringify } from 'yaml';
import { runConfigShow, runConfigValidate } from '../../commands/config.js';
import { formatIssues } from '../../core/config/issues.js';
import { ExitCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { table } from '../format.js';

export async function configShowAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runConfigShow({ ...ctx.global, origins: opts.origins === true });
  ctx.print(result, () => {
    const head = `# effective config — project: ${result.file ?? '(none)'}; user: ${result.userFile ?? '(none)'}\n`;
    if (result.origins)
      return (
        head +
        table(
          Object.entries(result.origins).map(([k, v]) => [k, v]),
          ['KEY', 'SET BY'],
        )
      );
    return head + stringify(result.config, { lineWidth: 0 });
  });
}

export async function configValidateAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const result = await runConfigValidate({ ...ctx.global, file: opts.file as string | undefined });
  ctx.print(result, () => {
    if (!result.valid) return `${result.file}: invalid\n${formatIssues(result.issues)}`;
    const missing = result.missingEnv
      .map((m) => `  note: ${m.path} uses \${${m.variable}}, which is not set here`)
      .join('\n');
    return `${result.file}: valid${missing ? '\n' + missing : ''}`;
  });
  return result.valid ? ExitCode.ok : ExitCode.usage;
}
