// The compact repo map in the agent's first message: an outline of the tree, then the files most related to the
// task with their top-level symbols, then other paths, filled up to a token budget so a 20,000-file repo stays small.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { estimateTokens } from '../ai/tokens.js';
import { withSizes, type FileEntry } from './files.js';
import { countMatches } from './search.js';
import { symbolsOf } from './symbols.js';

export interface RepoMapInput {
  root: string;
  files: readonly FileEntry[];
  /** The task's title and description: what "related" means. */
  query: string;
  tokenBudget: number;
  blockedGlobs: readonly string[];
  isBlocked: (path: string) => boolean;
  signal?: AbortSignal | undefined;
}

export interface RepoMap {
  text: string;
  tokens: number;
  /** Files ranked most related to the task, best first. */
  related: string[];
}

const STOP = new Set(
  'the and for with that this from into when then than not but are was were has have had should would could will can must add fix make use using via per its our your their there here what which who how why all any each some more most also only just like new old get set bug issue task feature support update change test tests'.split(
    ' ',
  ),
);

/** Words worth looking for: identifiers and longer words of the task, split at camelCase and snake_case too. */
export function keywords(query: string, max = 12): string[] {
  const words = new Map<string, number>();
  const add = (w: string, weight: number): void => {
    const k = w.toLowerCase();
    if (k.length < 3 || STOP.has(k) || /^\d+$/.test(k)) return;
    words.set(k, (words.get(k) ?? 0) + weight);
  };
  for (const m of query.matchAll(/`([^`]+)`/g)) for (const w of m[1]!.split(/[^\w$.-]+/)) add(w, 3);
  for (const raw of query.split(/[^A-Za-z0-9_$-]+/)) {
    if (!raw) continue;
    add(raw, 1);
    for (const part of raw.split(/[_-]|(?<=[a-z])(?=[A-Z])/)) if (part !== raw) add(part, 0.5);
  }
  return [...words.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([w]) => w);
}

function pathScore(path: string, terms: readonly string[]): number {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  const stem = base.replace(/(\.(test|spec))?\.[a-z0-9]+$/, '');
  let score = 0;
  for (const t of terms) {
    if (stem === t) score += 10;
    else if (base.includes(t)) score += 6;
    else if (lower.includes(t)) score += 2;
  }
  if (/(^|\/)(test|tests|__tests__|spec)\/|\.(test|spec)\.[a-z]+$/.test(lower)) score *= 0.8;
  return score;
}

/** Folders (three levels deep when they fit, else two) with file counts, indented by depth. */
function outline(files: readonly FileEntry[], maxLines: number): string[] {
  const dirs = new Map<string, number>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let depth = 1; depth < Math.min(parts.length, 4); depth++) {
      const dir = parts.slice(0, depth).join('/');
      dirs.set(dir, (dirs.get(dir) ?? 0) + 1);
    }
  }
  const depthOf = (dir: string): number => dir.split('/').length;
  const maxDepth = dirs.size <= maxLines ? 3 : 2;
  const lines = [...dirs.entries()]
    .filter(([dir]) => depthOf(dir) <= maxDepth)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(
      ([dir, n]) =>
        `${'  '.repeat(depthOf(dir) - 1)}${dir.slice(dir.lastIndexOf('/') + 1)}/ (${n} file${n === 1 ? '' : 's'})`,
    );
  const out = lines.slice(0, maxLines);
  if (lines.length > maxLines) out.push(`… ${lines.length - maxLines} more folders`);
  const top = files.filter((f) => !f.path.includes('/')).map((f) => f.path);
  if (top.length) out.push(`top-level files: ${top.slice(0, 40).join(', ')}${top.length > 40 ? ', …' : ''}`);
  return out;
}

export async function buildRepoMap(input: RepoMapInput): Promise<RepoMap> {
  const usable = input.files.filter((f) => !input.isBlocked(f.path));
  const terms = keywords(input.query);
  const content = await countMatches(input.root, terms, input.blockedGlobs, input.signal).catch(
    () => new Map<string, number>(),
  );
  const scored = usable
    .map((f) => ({ f, score: pathScore(f.path, terms) + Math.min(content.get(f.path) ?? 0, 20) * 0.5 }))
    .sort((a, b) => b.score - a.score || (a.f.path < b.f.path ? -1 : 1));
  const related = scored.filter((s) => s.score > 0).map((s) => s.f.path);

  // Section headings are added after the fill loops: keep room for them.
  const budgetChars = input.tokenBudget * 4 - 240;
  const header = [
    `Repository: ${usable.length} files${input.files.length > usable.length ? ` (${input.files.length - usable.length} blocked, not shown)` : ''}.`,
  ];
  const small = usable.length <= 200;
  // Sizes cost a stat each: only the files that are shown with their kind, or read, get one.
  const listed = small ? await withSizes(input.root, usable) : usable;
  const tree = small
    ? listed.map((f) => `${f.path}${f.kind === 'text' ? '' : ` [${f.kind}, not readable]`}`)
    : outline(usable, 60);
  let text = [...header, '', small ? 'Files:' : 'Folders:', ...tree].join('\n');
  if (text.length > budgetChars * 0.4) text = text.slice(0, Math.floor(budgetChars * 0.4)) + '\n…';

  const sections: string[] = [];
  let used = text.length;
  const candidates = await withSizes(
    input.root,
    scored
      .filter((s) => s.score > 0 && s.f.kind === 'text')
      .slice(0, 25)
      .map((s) => s.f),
  );
  const top = candidates.filter((f) => f.kind === 'text');
  for (const f of top) {
    let body = '';
    try {
      body = await readFile(join(input.root, f.path), 'utf8');
    } catch {
      continue;
    }
    const symbols = symbolsOf(f.path, body.slice(0, 200_000));
    const section = [`${f.path} (${body.split('\n').length} lines)`, ...symbols.map((s) => `  ${s}`)].join(
      '\n',
    );
    if (used + section.length + 2 > budgetChars) break;
    sections.push(section);
    used += section.length + 2;
  }
  if (sections.length)
    text += `\n\nFiles most related to the task (with their top-level symbols):\n${sections.join('\n')}`;

  if (!small) {
    const shown = new Set(top.map((f) => f.path));
    const others: string[] = [];
    for (const { f } of scored) {
      if (shown.has(f.path) || f.kind !== 'text') continue;
      if (used + f.path.length + 1 > budgetChars) break;
      others.push(f.path);
      used += f.path.length + 1;
    }
    if (others.length)
      text += `\n\nOther files (${others.length} of ${usable.length}, most related first; use list_files and search for the rest):\n${others.join('\n')}`;
  }
  return { text, tokens: estimateTokens(text), related };
}
