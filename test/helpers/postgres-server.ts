// A real PostgreSQL server for the ledger tests: Debian's postgresql binaries (initdb, pg_ctl) on a free loopback port
// in a temporary data directory, password auth, stopped and removed after. When the binaries are missing the caller
// gets the reason instead, and reports the PostgreSQL tests as skipped with it.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  port: number;
  user: string;
  password: string;
  /** A URL without the password (the tests pass it through PGPASSWORD, as users do). */
  url(database: string): string;
  env: Record<string, string>;
  /** A fresh, empty database owned by the test user. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): void;
}

export type PostgresAvailability = { ok: true; bin: string } | { ok: false; reason: string };

export function findPostgres(
  env: Readonly<Record<string, string | undefined>> = process.env,
): PostgresAvailability {
  const candidates: string[] = [];
  if (env.AIDEV_PG_BIN) candidates.push(env.AIDEV_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a)))
      candidates.push(join(debian, version, 'bin'));
  }
  for (const bin of candidates)
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { ok: true, bin };
  return {
    ok: false,
    reason:
      'PostgreSQL server binaries not found (apt-get install -y postgresql, or set AIDEV_PG_BIN to the folder of initdb and pg_ctl)',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: as root, the server runs as Debian's postgres user. */
function asServerUser(bin: string): {
  command: (tool: string) => [string, string[]];
  uid?: number;
  gid?: number;
} {
  if (process.getuid?.() !== 0) return { command: (tool) => [join(bin, tool), []] };
  const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
  const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
  return {
    command: (tool) => [runuserPath(), ['-u', 'postgres', '--', join(bin, tool)]],
    uid: Number(ids),
    gid: Number(gid),
  };
}

export async function startPostgres(bin: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'aidev-pg-'));
  const data = join(dir, 'data');
  const user = 'aidev';
  const password = 'test-only-password';
  const runner = asServerUser(bin);
  const run = (tool: string, args: string[]) => {
    const [command, prefix] = runner.command(tool);
    execFileSync(command, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
  writeFileSync(join(dir, 'pw'), password + '\n');
  if (runner.uid !== undefined) {
    chownSync(dir, runner.uid, runner.gid!);
    chownSync(join(dir, 'pw'), runner.uid, runner.gid!);
  }
  const port = await freePort();
  try {
    run('initdb', [
      '-D',
      data,
      '-U',
      user,
      '--auth=scram-sha-256',
      `--pwfile=${join(dir, 'pw')}`,
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=60`;
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start PostgreSQL from ${bin}: ${stderr || (error as Error).message}`);
  }
  const env = { PGPASSWORD: password };
  let counter = 0;
  return {
    port,
    user,
    password,
    env,
    url: (database) => `postgres://${user}@127.0.0.1:${port}/${database}`,
    async createDatabase(prefix = 'ledger') {
      const name = `${prefix}_${process.pid}_${++counter}`;
      const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return name;
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** runuser lives in /usr/sbin, which a CI PATH may leave out. */
function runuserPath(): string {
  return ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p)) ?? 'runuser';
}
