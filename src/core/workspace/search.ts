// Code search for the agent and the repo map: ripgrep (shipped by @vscode/ripgrep), confined to the worktree, with
// .gitignore respected and blocked paths excluded, so a search can never show what read_file would refuse.
import { execFile } from 'node:child_process';
import { AidevError } from '../errors.js';

let rgPathCache: Promise<string | null> | undefined;

/** The ripgrep binary, or null when the platform package is missing (search then falls back to git grep). */
export function ripgrepPath(): Promise<string | null> {
  rgPathCache ??= import('@vscode/ripgrep').then(
    (m) => m.rgPath,
    () => null,
  );
  return rgPathCache;
}

export interface SearchInput {
  root: string;
  pattern: string;
  /** A folder or file inside the worktree (already confined by the policy). */
  path?: string | undefined;
  /** e.g. `*.ts` */
  glob?: string | undefined;
  fixedStrings?: boolean | undefined;
  ignoreCase?: boolean | undefined;
  maxResults?: number | undefined;
  blockedGlobs: readonly string[];
  signal?: AbortSignal | undefined;
  /** PATH for the git grep fallback (ripgrep runs by its absolute path). */
  pathEnv?: string | undefined;
}

export interface SearchHit {
  path: string;
  line: number;
  text: string;
}

export interface SearchResult {
  hits: SearchHit[];
  truncated: boolean;
}

function exec(
  file: string,
  args: string[],
  cwd: string,
  signal?: AbortSignal,
  path = '/usr/local/bin:/usr/bin:/bin',
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, signal, maxBuffer: 32 * 1024 * 1024, env: { PATH: path } },
      (error, stdout, stderr) => {
        if (error && error.name === 'AbortError') {
          reject(
            Object.assign(new Error('the search was interrupted'), { name: 'AbortError', cause: error }),
          );
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

function exclusions(blocked: readonly string[]): string[] {
  return [...blocked, '.git'].flatMap((g) => ['--glob', `!${g}`, '--glob', `!**/${g}/**`]);
}

export async function search(input: SearchInput): Promise<SearchResult> {
  const max = input.maxResults ?? 100;
  const rg = await ripgrepPath();
  const target = input.path || '.';
  let stdout: string;
  if (rg) {
    const args = [
      '--line-number',
      '--no-heading',
      '--color',
      'never',
      '--with-filename',
      '--max-columns',
      '300',
      '--max-columns-preview',
      '--max-filesize',
      '1M',
      '--max-count',
      '20',
      '--no-follow',
      '--hidden',
      ...exclusions(input.blockedGlobs),
    ];
    if (input.fixedStrings) args.push('--fixed-strings');
    if (input.ignoreCase) args.push('--ignore-case');
    if (input.glob) args.push('--glob', input.glob);
    args.push('--regexp', input.pattern, '--', target);
    const result = await exec(rg, args, input.root, input.signal);
    if (result.code === 2 && !result.stdout)
      throw new AidevError(
        'USAGE',
        `search failed: ${result.stderr.trim().split('\n')[0] ?? 'ripgrep error'}`,
        { hint: 'check the regular expression (ripgrep syntax), or set fixed_strings' },
      );
    stdout = result.stdout;
  } else {
    const args = [
      'grep',
      '-n',
      '-I',
      '--no-color',
      ...(input.fixedStrings ? ['-F'] : ['-E']),
      ...(input.ignoreCase ? ['-i'] : []),
      '-e',
      input.pattern,
      '--',
      input.glob ? `${target}/${input.glob}` : target,
    ];
    const result = await exec('git', args, input.root, input.signal, input.pathEnv);
    stdout = result.stdout;
  }
  const hits: SearchHit[] = [];
  let truncated = false;
  for (const line of stdout.split('\n')) {
    const m = /^(.+?):(\d+):(.*)$/.exec(line);
    if (!m) continue;
    if (hits.length >= max) {
      truncated = true;
      break;
    }
    hits.push({ path: m[1]!.replace(/^\.\//, ''), line: Number(m[2]), text: m[3]!.slice(0, 300) });
  }
  return { hits, truncated };
}

/** How often any of `terms` occurs per file (case-insensitive, fixed strings): the repo map's relatedness signal. */
export async function countMatches(
  root: string,
  terms: readonly string[],
  blockedGlobs: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const rg = await ripgrepPath();
  if (!rg || !terms.length) return counts;
  const args = [
    '--count-matches',
    '--ignore-case',
    '--fixed-strings',
    '--color',
    'never',
    '--max-filesize',
    '512K',
    '--no-follow',
    ...exclusions(blockedGlobs),
    ...terms.flatMap((t) => ['--regexp', t]),
    '--',
    '.',
  ];
  const result = await exec(rg, args, root, signal);
  for (const line of result.stdout.split('\n')) {
    const at = line.lastIndexOf(':');
    if (at > 0) counts.set(line.slice(0, at).replace(/^\.\//, ''), Number(line.slice(at + 1)));
  }
  return counts;
}
