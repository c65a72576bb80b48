// CLI adapter for `aidev doctor`.
import { runDoctor } from '../../commands/doctor.js';
import { ExitCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';

const MARK = { ok: '✔', warn: '!', fail: '✖' } as const;

export async function doctorAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const result = await runDoctor({ ...ctx.global, offline: opts.offline === true });
  ctx.print(result, () =>
    result.checks
      .map(
        (c) =>
          `${MARK[c.state]} ${c.name.padEnd(16)} ${c.detail}${c.hint ? `\n  ${' '.repeat(17)}hint: ${c.hint}` : ''}`,
      )
      .concat('', result.ok ? 'ready' : 'not ready: fix the ✖ lines above')
      .join('\n'),
  );
  return result.ok ? ExitCode.ok : ExitCode.failure;
}
