// Turns what the PostgreSQL driver or server reported into an AidevError that says what failed, where, and how to fix
// it. Never a stack trace: the original error stays as the cause for --verbose.
import { AidevError } from '../../errors.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

export function pgLedgerError(error: unknown, where: string): AidevError {
  if (error instanceof AidevError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const cause = { cause: error };
  if (
    (typeof code === 'string' && UNREACHABLE.has(code)) ||
    /timeout expired|Connection terminated|connect ECONN/i.test(message)
  ) {
    return new AidevError('PROVIDER_ERROR', `cannot reach the PostgreSQL ledger ${where}: ${message}`, {
      hint: 'check that the server is up and that the host and port in ledger.url (or AIDEV_LEDGER_URL) are right; `aidev doctor` checks it',
      ...cause,
    });
  }
  switch (code) {
    case '28P01':
    case '28000':
      return new AidevError(
        'PROVIDER_ERROR',
        `the PostgreSQL ledger ${where} refused the login: ${message}`,
        {
          hint: 'export PGPASSWORD=… (credentials come only from the environment), and check the user in the URL',
          ...cause,
        },
      );
    case '3D000':
      return new AidevError('PROVIDER_ERROR', `the PostgreSQL ledger ${where}: ${message}`, {
        hint: 'create the database first, owned by the ledger user: createdb -O <user> <database>',
        ...cause,
      });
    case '42501':
      return new AidevError('PROVIDER_ERROR', `the PostgreSQL ledger ${where}: ${message}`, {
        hint: 'the ledger user needs to own the database (or have CREATE on its schema) so aidev can create and migrate its tables',
        ...cause,
      });
    case '55P03':
    case 'TIMEOUT':
      return new AidevError('LEDGER_LOCKED', `the PostgreSQL ledger ${where} stayed locked: ${message}`, {
        hint: 'another aidev holds the budget lock; retry, and check for a stuck client with pg_stat_activity',
        ...cause,
      });
    case 'CLOSED':
      return new AidevError('INTERNAL', `the PostgreSQL ledger ${where} was used after close()`, cause);
    default:
      return new AidevError('INTERNAL', `PostgreSQL ledger error at ${where}: ${message}`, cause);
  }
}
