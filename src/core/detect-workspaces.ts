// Detects monorepo packages with tests of their own (npm, yarn and bun `workspaces`, pnpm-workspace.yaml, Cargo
// `[workspace] members`), so `aidev init` can propose verify.packages with a check per package. Only reads files, and
// lists at most MAX_PACKAGES: a bigger monorepo gets a count of the rest, to add by hand.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const MAX_PACKAGES = 20;

export interface DetectedPackage {
  path: string;
  /** Set only when the folder's basename (the default name) is taken by another package. */
  name?: string | undefined;
  checks: string[];
  /** The file the check came from, e.g. `packages/api/package.json scripts.test`. */
  from: string;
}

export interface DetectedWorkspaces {
  packages: DetectedPackage[];
  /** Packages with tests left out past MAX_PACKAGES. */
  omitted: number;
  /** The files the package list came from, e.g. `package.json workspaces`. */
  from: string[];
}

type NodePm = 'npm' | 'pnpm' | 'yarn' | 'bun';

interface Found {
  path: string;
  name: string;
  check: string;
  from: string;
}

/** `lockfilePm`: the package manager the lockfile names, or null when there is no package.json. */
export function detectWorkspaces(root: string, lockfilePm: NodePm | null): DetectedWorkspaces | null {
  const found: Found[] = [];
  const from: string[] = [];
  // pnpm reads only pnpm-workspace.yaml; its presence says pnpm even before a lockfile exists.
  const pm = lockfilePm && existsSync(join(root, 'pnpm-workspace.yaml')) ? 'pnpm' : lockfilePm;
  if (pm) {
    const node = nodePatterns(root, pm);
    if (node) {
      from.push(node.from);
      for (const path of expand(root, node.patterns, 'package.json')) {
        const pkg = readJson(join(root, path, 'package.json'));
        const test = pkg?.scripts?.test;
        if (!test || /no test specified/.test(test)) continue;
        const name = pkg?.name ?? basename(path);
        found.push({
          path,
          name,
          check: nodeCheck(pm, path, name),
          from: `${path}/package.json scripts.test`,
        });
      }
    }
  }
  const cargo = read(join(root, 'Cargo.toml'));
  const members = workspaceSection(cargo);
  if (members) {
    from.push('Cargo.toml [workspace] members');
    for (const path of expand(root, members, 'Cargo.toml')) {
      const section = tomlSection(read(join(root, path, 'Cargo.toml')), 'package');
      const name = section === null ? undefined : /^\s*name\s*=\s*["']([^"']+)["']/m.exec(section)?.[1];
      if (name) found.push({ path, name, check: `cargo test -p ${name}`, from: `${path}/Cargo.toml` });
    }
  }
  if (!from.length) return null;
  const unique = [...new Map(found.map((f) => [f.path, f])).values()].sort((a, b) =>
    a.path.localeCompare(b.path),
  );
  const listed = unique.slice(0, MAX_PACKAGES);
  return { packages: named(listed), omitted: unique.length - listed.length, from };
}

function nodeCheck(pm: NodePm, path: string, name: string): string {
  switch (pm) {
    case 'npm':
      return `npm test --workspace ${path}`;
    case 'pnpm':
      return `pnpm --filter ${name} test`;
    case 'yarn':
      return `yarn workspace ${name} test`;
    case 'bun':
      return `bun run --filter ${name} test`;
  }
}

/** The default name is the basename; a package whose basename is taken gets its manifest name, else its path. */
function named(found: readonly Found[]): DetectedPackage[] {
  const count = new Map<string, number>();
  for (const f of found)
    count.set(basename(f.path).toLowerCase(), (count.get(basename(f.path).toLowerCase()) ?? 0) + 1);
  const taken = new Set<string>();
  return found.map((f) => {
    const base = basename(f.path);
    let name: string | undefined;
    if ((count.get(base.toLowerCase()) ?? 0) > 1) name = taken.has(f.name.toLowerCase()) ? f.path : f.name;
    taken.add((name ?? base).toLowerCase());
    return { path: f.path, ...(name ? { name } : {}), checks: [f.check], from: f.from };
  });
}

function nodePatterns(root: string, pm: NodePm): { patterns: string[]; from: string } | null {
  if (pm === 'pnpm' && existsSync(join(root, 'pnpm-workspace.yaml'))) {
    let doc: unknown;
    try {
      doc = parse(read(join(root, 'pnpm-workspace.yaml')));
    } catch {
      return null;
    }
    const list = (doc as { packages?: unknown } | null)?.packages;
    return { patterns: strings(list), from: 'pnpm-workspace.yaml' };
  }
  const ws = readJson(join(root, 'package.json'))?.workspaces;
  const patterns = Array.isArray(ws)
    ? strings(ws)
    : strings((ws as { packages?: unknown } | undefined)?.packages);
  return patterns.length ? { patterns, from: 'package.json workspaces' } : null;
}

/** The body of a TOML table (`[name]` up to the next table header), or null when there is none. */
function tomlSection(toml: string, name: string): string | null {
  const lines = toml.split('\n');
  const start = lines.findIndex((l) => l.trim() === `[${name}]`);
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** `members` (less `exclude`) of the root Cargo.toml's [workspace] table, or null without one. */
function workspaceSection(toml: string): string[] | null {
  const section = tomlSection(toml, 'workspace');
  if (section === null) return null;
  const list = (key: string): string[] => {
    const body = new RegExp(`^\\s*${key}\\s*=\\s*\\[([\\s\\S]*?)\\]`, 'm').exec(section)?.[1] ?? '';
    return [...body.matchAll(/"([^"]+)"|'([^']+)'/g)].map((m) => (m[1] ?? m[2])!);
  };
  return [...list('members'), ...list('exclude').map((p) => `!${p}`)];
}

/** Folders matching the patterns (`*`, `**` and `!negations`; a literal path too) that hold `manifest`. */
function expand(root: string, patterns: readonly string[], manifest: string): string[] {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globRegex(clean(p.slice(1))));
  const out = new Set<string>();
  for (const pattern of include) {
    for (const path of walk(root, clean(pattern).split('/').filter(Boolean), '', 0))
      if (existsSync(join(root, path, manifest)) && !exclude.some((re) => re.test(path))) out.add(path);
  }
  return [...out];
}

const clean = (p: string): string => p.replace(/^\.\//, '').replace(/\/+$/, '');

function walk(root: string, segments: readonly string[], at: string, depth: number): string[] {
  if (!segments.length) return at ? [at] : [];
  if (depth > 6) return [];
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '**') {
    const here = walk(root, rest, at, depth);
    const deeper = subdirs(root, at).flatMap((d) => walk(root, segments, join2(at, d), depth + 1));
    return [...here, ...deeper];
  }
  if (!head.includes('*'))
    return isDir(join(root, at, head)) ? walk(root, rest, join2(at, head), depth + 1) : [];
  const re = globRegex(head);
  return subdirs(root, at)
    .filter((d) => re.test(d))
    .flatMap((d) => walk(root, rest, join2(at, d), depth + 1));
}

const join2 = (a: string, b: string): string => (a ? `${a}/${b}` : b);

function subdirs(root: string, at: string): string[] {
  try {
    return readdirSync(join(root, at), { withFileTypes: true })
      .filter(
        (e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'target',
      )
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function globRegex(glob: string): RegExp {
  const body = glob
    .split('/')
    .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${body}$`);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  workspaces?: unknown;
}

function readJson(file: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
