// Which checks a run holds its change to in a monorepo: one package's (verify.packages) or the repo-wide verify.checks.
// The task decides first (labels, then the title, then the description), before the agent starts; with verify.scope
// auto and a task that names none, the change's files decide after the agent. Pure: no git, no I/O.
import type { Task } from '../../../providers/types.js';
import type { Config } from '../config/schema.js';
import { checkPackages, type CheckPackage } from '../config/verify-packages.js';

export type { CheckPackage } from '../config/verify-packages.js';

export type VerifyScopeConfig = Pick<Config['verify'], 'checks' | 'packages' | 'scope'>;

export interface CheckScope {
  /** The package the checks are scoped to; null for the repo-wide verify.checks. */
  package: CheckPackage | null;
  checks: string[];
  /** Why this scope, e.g. `task label api` or `the change touches only packages/api`. */
  reason: string;
  /** Final before the agent starts; when false, the change's files decide after it (verify.scope auto). */
  settled: boolean;
  /** What decided it: the config alone, the task, or the change's files after the agent. */
  decidedBy: 'config' | 'task' | 'change';
  /** False when verify.packages is empty: there is no scope to speak of, and nothing says one. */
  shown: boolean;
}

interface Named {
  packages: CheckPackage[];
  /** Per package name: the first piece of evidence, e.g. `task label api`. */
  why: Map<string, string>;
  /** Where the names were found, for the "several" reason: `labels`, `title`, `description`. */
  where: string;
}

/** The package holding `path` (a repository-relative file or folder); the deepest one when packages nest. */
export function packageOf(path: string, packages: readonly CheckPackage[]): CheckPackage | null {
  let best: CheckPackage | null = null;
  for (const pkg of packages)
    if (
      (path === pkg.path || path.startsWith(`${pkg.path}/`)) &&
      (!best || pkg.path.length > best.path.length)
    )
      best = pkg;
  return best;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function byName(word: string, packages: readonly CheckPackage[]): CheckPackage | null {
  const w = word.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  return packages.find((p) => same(p.name, w) || same(p.path, w)) ?? null;
}

/** Paths written in the text (`packages/api`, `packages/api/src/x.ts`, `./packages/api`), mapped to their package. */
function mentionedPaths(text: string, packages: readonly CheckPackage[]): [CheckPackage, string][] {
  const out: [CheckPackage, string][] = [];
  for (const m of text.matchAll(/(?<![\w@.-])(?:\.\/)?([\w@.-]+(?:\/[\w@.-]+)+)/g)) {
    const path = m[1]!.replace(/\.+$/, '');
    const pkg = packageOf(path, packages);
    if (pkg) out.push([pkg, path]);
  }
  return out;
}

/** `[api] …`, `api: …` and `feat(api): …` at the start of a title. */
function titlePrefix(title: string): [string, string] | null {
  const bracket = /^\s*\[([^\]]+)\]/.exec(title);
  if (bracket) return [bracket[1]!, `[${bracket[1]!}]`];
  const conventional = /^\s*\w+\(([^)]+)\)!?:/.exec(title);
  if (conventional) return [conventional[1]!, conventional[0].trim()];
  const colon = /^\s*([\w@./-]+):\s/.exec(title);
  if (colon) return [colon[1]!, `${colon[1]!}:`];
  return null;
}

function collect(found: [CheckPackage, string][], where: string): Named | null {
  if (!found.length) return null;
  const why = new Map<string, string>();
  for (const [pkg, evidence] of found) if (!why.has(pkg.name)) why.set(pkg.name, evidence);
  const packages = [...new Map(found.map(([p]) => [p.name, p])).values()];
  return { packages, why, where };
}

/** The packages the task names, from the first of its labels, title and description that names one or more. */
export function namedByTask(
  task: Pick<Task, 'labels' | 'title' | 'description'>,
  packages: readonly CheckPackage[],
): Named | null {
  const labels: [CheckPackage, string][] = [];
  for (const label of task.labels) {
    const pkg = byName(label.replace(/^(pkg|package):/i, ''), packages);
    if (pkg) labels.push([pkg, `task label ${label}`]);
  }
  const title: [CheckPackage, string][] = [];
  const prefix = titlePrefix(task.title);
  const prefixed = prefix ? byName(prefix[0], packages) : null;
  if (prefix && prefixed) title.push([prefixed, `task title prefix ${prefix[1]}`]);
  for (const [pkg, path] of mentionedPaths(task.title, packages))
    title.push([pkg, `task title names ${path}`]);
  const description = mentionedPaths(task.description, packages).map(
    ([pkg, path]): [CheckPackage, string] => [pkg, `task description names ${path}`],
  );
  return collect(labels, 'labels') ?? collect(title, 'title') ?? collect(description, 'description') ?? null;
}

function repoWide(
  verify: VerifyScopeConfig,
  reason: string,
  decidedBy: CheckScope['decidedBy'],
  settled = true,
): CheckScope {
  const shown = verify.packages.length > 0;
  return { package: null, checks: [...verify.checks], reason, settled, decidedBy, shown };
}

function scoped(pkg: CheckPackage, reason: string, decidedBy: CheckScope['decidedBy']): CheckScope {
  return { package: pkg, checks: pkg.checks, reason, settled: true, decidedBy, shown: true };
}

/** The scope known before the agent starts: from the config and the task alone. */
export function scopeForTask(
  verify: VerifyScopeConfig,
  task: Pick<Task, 'labels' | 'title' | 'description'>,
): CheckScope {
  if (!verify.packages.length) return repoWide(verify, 'verify.packages is empty', 'config');
  if (verify.scope === 'repo') return repoWide(verify, 'verify.scope: repo', 'config');
  const packages = checkPackages(verify);
  const named = namedByTask(task, packages);
  if (named?.packages.length === 1) {
    const pkg = named.packages[0]!;
    return scoped(pkg, named.why.get(pkg.name)!, 'task');
  }
  if (named) {
    const names = named.packages.map((p) => p.name).join(', ');
    return repoWide(verify, `the task's ${named.where} name several packages: ${names}`, 'task');
  }
  if (verify.scope === 'task') return repoWide(verify, 'the task names no package', 'task');
  return repoWide(
    verify,
    'the task names no package; if the change stays inside one package, only its checks run after the agent',
    'task',
    false,
  );
}

function listed(paths: readonly string[]): string {
  return `${paths.slice(0, 5).join(', ')}${paths.length > 5 ? `, … (${paths.length} in all)` : ''}`;
}

/**
 * The scope the checks after the agent run in. A settled scope stands. Otherwise the changed files decide: all inside
 * one package gives that package, but only when the base's repo-wide checks all passed (or no baseline ran): when some
 * already fail, only the repo-wide checks can tell those failures from new ones.
 */
export function scopeForChange(
  verify: VerifyScopeConfig,
  planned: CheckScope,
  files: readonly string[],
  baseline: { checks: readonly { exitCode: number }[] } | null,
): CheckScope {
  if (planned.settled) return planned;
  const packages = checkPackages(verify);
  if (!files.length) return repoWide(verify, 'the change touches no files', 'change');
  const outside = files.filter((f) => !packageOf(f, packages));
  if (outside.length)
    return repoWide(verify, `the change touches files outside the packages: ${listed(outside)}`, 'change');
  const touched = [...new Set(files.map((f) => packageOf(f, packages)!))];
  if (touched.length > 1) {
    const names = touched.map((p) => p.path).join(', ');
    return repoWide(verify, `the change touches several packages: ${names}`, 'change');
  }
  const pkg = touched[0]!;
  if (baseline?.checks.some((c) => c.exitCode !== 0))
    return repoWide(
      verify,
      `the change touches only ${pkg.path}, but the repo-wide checks already fail on the base, and only they tell those failures from new ones`,
      'change',
    );
  return scoped(pkg, `the change touches only ${pkg.path}`, 'change');
}

/** Changed files outside a package scope: their checks did not run, and the reviewer should know. */
export function outsideScope(scope: CheckScope, files: readonly string[]): string[] {
  const path = scope.package?.path;
  return path ? files.filter((f) => f !== path && !f.startsWith(`${path}/`)) : [];
}

/** One line for the log and the outputs, e.g. `checks scoped to packages/api (task label api)`. */
export function scopeLine(scope: CheckScope): string {
  return scope.package
    ? `checks scoped to ${scope.package.path} (${scope.reason})`
    : `checks: repo-wide (${scope.reason})`;
}

/** The note on changed files outside a package scope, or null. */
export function outsideNote(scope: CheckScope, outside: readonly string[]): string | null {
  if (!scope.package || !outside.length) return null;
  return `the change also touches files outside ${scope.package.path} (${listed(outside)}); checks for those were not run`;
}

/** What the agent is told about the scope before it starts. */
export function scopeForAgent(scope: CheckScope): string {
  if (scope.package)
    return `This is a monorepo, and the checks are scoped to the package in ${scope.package.path} (${scope.reason}): keep the change inside that folder where you can, since the checks of other packages do not run.`;
  if (!scope.settled)
    return 'This is a monorepo: the task names no package, so if your change stays inside one package folder only its checks run; otherwise the repo-wide checks do.';
  return `This is a monorepo; the repo-wide checks run (${scope.reason}).`;
}
