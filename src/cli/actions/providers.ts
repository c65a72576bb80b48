// CLI adapter for `aidev providers list`.
import { runProvidersList } from '../../commands/providers.js';
import type { CliContext } from '../context.js';
import { table } from '../format.js';

export async function providersListAction(ctx: CliContext): Promise<void> {
  const result = await runProvidersList(ctx.global);
  ctx.print(result, () =>
    table(
      result.providers.map((p) => [
        p.category,
        p.id,
        p.configured ? 'in use' : '',
        p.ready ? 'ready' : `not ready: ${p.problem ?? ''}`,
        p.description,
      ]),
      ['CATEGORY', 'ID', 'CONFIGURED', 'STATE', 'DESCRIPTION'],
    ),
  );
}
