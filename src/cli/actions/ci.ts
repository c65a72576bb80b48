// CLI adapter for `aidev ci init github|gitlab [--force] [--dry-run]`.
import { runCiInit } from '../../commands/ci-init.js';
import type { CliContext } from '../context.js';

export async function ciInitAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runCiInit({
    ...ctx.global,
    target: args[0] ?? '',
    force: opts.force === true,
    dryRun: opts.dryRun === true,
  });
  ctx.print(result, () =>
    result.written
      ? [`wrote ${result.file}`, 'next:', ...result.next.map((n) => `  - ${n}`)].join('\n')
      : `# ${result.file} (dry run: nothing written)\n${result.content}`,
  );
}
