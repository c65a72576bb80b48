// CLI adapters for `aidev ledger export|import [--file F]`. Export without --file writes the JSONL to stdout, so its
// summary goes to stderr; everything else prints like any command (text, or the result object with --json).
import { runLedgerExport, runLedgerImport } from '../../commands/ledger.js';
import type { CliContext } from '../context.js';

export async function ledgerExportAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const file = opts.file as string | undefined;
  const result = await runLedgerExport({ ...ctx.global, file }, ctx.io.stdout);
  const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
  const summary = `exported ${total} rows (${Object.entries(result.rows)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ')}) from ${result.ledger}${result.file ? ` to ${result.file}` : ''}`;
  if (!file) {
    if (!ctx.global.quiet) ctx.io.stderr.write(summary + '\n');
    return;
  }
  ctx.print(result, summary);
}

export async function ledgerImportAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runLedgerImport(
    { ...ctx.global, file: opts.file as string | undefined },
    ctx.io.stdin,
  );
  ctx.print(result, () =>
    [
      `imported into ${result.ledger} from ${result.file ?? 'stdin'}:`,
      ...Object.entries(result.tables).map(
        ([t, c]) => `  ${t.padEnd(12)} ${c.inserted} new, ${c.updated} updated, ${c.skipped} already there`,
      ),
    ].join('\n'),
  );
}
