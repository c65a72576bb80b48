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
    if (!result.valid)
      return `${result.file}: invalid (${result.dialect} form)\n${formatIssues(result.issues)}`;
    const missing = result.missingEnv
      .map((m) => `  note: ${m.path} uses \${${m.variable}}, which is not set here`)
      .join('\n');
    const read = result.notes.map((n) => `  read: ${n}`).join('\n');
    return [`${result.file}: valid (${result.dialect} form)`, read, missing].filter(Boolean).join('\n');
  });
  return result.valid ? ExitCode.ok : ExitCode.usage;
}

export async function configMigrateAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const { runConfigMigrate } = await import('../../commands/config-migrate.js');
  const result = await runConfigMigrate({
    ...ctx.global,
    write: opts.write === true,
    output: opts.to as string | undefined,
  });
  ctx.print(result, () => {
    if (!result.written)
      return `${result.yaml}# ${result.dialect === 'native' ? 'already native' : 'not written'}: pass --write to rewrite ${result.file}`;
    const lines = [
      `wrote ${result.written}${result.backup ? ` (the original is kept as ${result.backup})` : ''}`,
    ];
    for (const n of result.notes) lines.push(`  read: ${n}`);
    if (result.inlined.length) lines.push(`  inlined (no longer read): ${result.inlined.join(', ')}`);
    return lines.join('\n');
  });
}
