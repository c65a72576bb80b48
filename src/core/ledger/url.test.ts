import { describe, expect, it } from 'vitest';
import { AidevError } from '../errors.js';
import { ledgerSettingsOf, redactUrl, resolveLedgerTarget } from './url.js';

const home = '/home/me/.local/share/aidev';

function thrown(fn: () => unknown): AidevError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AidevError);
    return error as AidevError;
  }
  throw new Error('expected an error');
}

describe('ledger.url', () => {
  it('defaults to the SQLite file in AIDEV_HOME, or system.ledger_path', () => {
    expect(resolveLedgerTarget({}, {}, home)).toEqual({ kind: 'sqlite', path: `${home}/ledger.db` });
    expect(resolveLedgerTarget({ url: 'sqlite:', sqlitePath: '/repo/l.db' }, {}, home)).toEqual({
      kind: 'sqlite',
      path: '/repo/l.db',
    });
    expect(resolveLedgerTarget({ url: 'sqlite:/tmp/x.db' }, {}, home)).toEqual({
      kind: 'sqlite',
      path: '/tmp/x.db',
    });
  });

  it('takes postgres:// with the libpq variables of the injected env only', () => {
    const target = resolveLedgerTarget(
      { url: 'postgres://aidev@db.internal:5432/aidev?sslmode=require' },
      { PGPASSWORD: 's3cret', PGSSLROOTCERT: '/ca.pem', ANTHROPIC_API_KEY: 'nope' },
      home,
    );
    expect(target).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://aidev@db.internal:5432/aidev?sslmode=require',
      display: 'postgres://aidev@db.internal:5432/aidev?sslmode=require',
      env: { PGPASSWORD: 's3cret', PGSSLROOTCERT: '/ca.pem' },
    });
  });

  it('lets AIDEV_LEDGER_URL override the config (a CI secret)', () => {
    const target = resolveLedgerTarget(
      { url: 'sqlite:' },
      { AIDEV_LEDGER_URL: 'postgres://ci:pw@db:5432/aidev' },
      home,
    );
    expect(target).toMatchObject({ kind: 'postgres', display: 'postgres://ci@db:5432/aidev' });
  });

  it('refuses a password written into the config file, but accepts one interpolated from the environment', () => {
    const error = thrown(() => resolveLedgerTarget({ url: 'postgres://u:hunter2@db/aidev' }, {}, home));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('hunter2');
    expect(error.hint).toContain('PGPASSWORD');
    expect(resolveLedgerTarget({ url: 'postgres://u:hunter2@db/aidev', fromEnv: true }, {}, home).kind).toBe(
      'postgres',
    );
  });

  it('names a missing ${VARIABLE} instead of silently falling back to the local file', () => {
    const error = thrown(() => resolveLedgerTarget({ missingVariable: 'TEAM_LEDGER_URL' }, {}, home));
    expect(error.code).toBe('ENV_MISSING');
    expect(error.message).toContain('${TEAM_LEDGER_URL}');
  });

  it('refuses an unknown scheme with the two accepted forms', () => {
    const error = thrown(() => resolveLedgerTarget({ url: 'mysql://x@y/z' }, {}, home));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.hint).toContain('postgres://');
  });

  it('redacts passwords for display', () => {
    expect(redactUrl('postgres://u:p@h:1/d')).toBe('postgres://u@h:1/d');
    expect(redactUrl('postgres://h/d?password=p')).toBe('postgres://h/d?password=***');
  });

  it('reads ledger.url defensively from a loaded config', () => {
    const settings = ledgerSettingsOf({
      config: { ledger: { url: 'postgres://h/d' }, system: { ledger_path: 'l.db' } },
      secretPaths: new Set(['ledger.url']),
      missingEnv: new Map(),
      repoRoot: '/repo',
    });
    expect(settings).toEqual({
      url: 'postgres://h/d',
      fromEnv: true,
      missingVariable: undefined,
      sqlitePath: '/repo/l.db',
    });
    expect(
      ledgerSettingsOf({ config: {}, secretPaths: new Set(), missingEnv: new Map(), repoRoot: '/r' }).url,
    ).toBeUndefined();
  });
});
