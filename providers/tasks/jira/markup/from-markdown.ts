// Markdown (what aidev and its models write) → ADF (what Jira Cloud's v3 API takes): headings, paragraphs, nested
// bullet/ordered lists, fenced code, block quotes, rules, and inline code, links (bare URLs too), bold, italic, strike.
// Line breaks inside a paragraph are kept as hardBreak, so text like "PR: …\nCost: …" keeps its lines in Jira.
import type { AdfDoc, AdfMark, AdfNode } from './adf-types.js';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

export function markdownToAdf(markdown: string): AdfDoc {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  return { type: 'doc', version: 1, content: parseBlocks(lines) };
}

function parseBlocks(lines: string[]): AdfNode[] {
  const out: AdfNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const close = lines.findIndex(
        (l, j) => j > i && l.trim().startsWith(fence[2]!) && /^[`~]+$/.test(l.trim()),
      );
      const end = close < 0 ? lines.length : close;
      const indent = fence[1]!.length;
      const code = lines
        .slice(i + 1, end)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)));
      out.push({
        type: 'codeBlock',
        ...(fence[3] ? { attrs: { language: fence[3] } } : {}),
        ...(code.join('\n') ? { content: [{ type: 'text', text: code.join('\n') }] } : {}),
      });
      i = end + 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ type: 'heading', attrs: { level: heading[1]!.length }, content: parseInline(heading[2]!) });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ type: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(lines[i++]!.replace(QUOTE, ''));
      out.push({ type: 'blockquote', content: parseBlocks(quoted) });
      continue;
    }
    if (ITEM.test(line)) {
      const { node, next } = parseList(lines, i);
      out.push(node);
      i = next;
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !startsBlock(lines[i]!))
      paragraph.push(lines[i++]!.trim());
    out.push({ type: 'paragraph', content: withBreaks(paragraph) });
  }
  return out;
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

/** A list and everything nested under it; items of the other kind at the same indent end it. */
function parseList(lines: string[], start: number): { node: AdfNode; next: number } {
  const first = ITEM.exec(lines[start]!)!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: AdfNode[] = [];
  let i = start;
  while (i < lines.length) {
    const match = ITEM.exec(lines[i]!);
    if (!match || match[1]!.length !== indent || /\d/.test(match[2]!) !== ordered) break;
    const text: string[] = [match[3]!];
    const nested: string[] = [];
    i++;
    // Continuation lines and nested lists are the lines indented past the marker, up to a blank line.
    while (i < lines.length && lines[i]!.trim() && indentOf(lines[i]!) > indent) {
      if (nested.length || ITEM.test(lines[i]!)) nested.push(lines[i]!);
      else text.push(lines[i]!.trim());
      i++;
    }
    const content: AdfNode[] = [{ type: 'paragraph', content: withBreaks(text) }];
    if (nested.length) content.push(...parseBlocks(nested));
    items.push({ type: 'listItem', content });
    // A blank line between items of the same list does not end it.
    if (i < lines.length && !lines[i]!.trim()) {
      const after = lines.findIndex((l, j) => j > i && l.trim() !== '');
      const again = after >= 0 ? ITEM.exec(lines[after]!) : null;
      if (again && again[1]!.length === indent && /\d/.test(again[2]!) === ordered) i = after;
    }
  }
  const order = ordered ? Number.parseInt(first[2]!, 10) : 1;
  return {
    node: ordered
      ? { type: 'orderedList', ...(order !== 1 ? { attrs: { order } } : {}), content: items }
      : { type: 'bulletList', content: items },
    next: i,
  };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function withBreaks(lines: string[]): AdfNode[] {
  const out: AdfNode[] = [];
  lines.forEach((line, n) => {
    if (n > 0) out.push({ type: 'hardBreak' });
    out.push(...parseInline(line));
  });
  return out;
}

const URL_AT = /^https?:\/\/[^\s<>]*[^\s<>.,;:!?'")\]]/;

/** Inline markdown → text nodes with marks. Unclosed markers stay literal text. */
export function parseInline(source: string, marks: AdfMark[] = []): AdfNode[] {
  const out: AdfNode[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push(text(buffer, marks));
    buffer = '';
  };
  const linked = marks.some((m) => m.type === 'link');
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length && /[\\`*_{}[\]()#+\-.!~<>|]/.test(source[i + 1]!)) {
      buffer += source[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const close = source.indexOf(run, i + run.length);
      if (close > 0) {
        flush();
        let code = source.slice(i + run.length, close);
        if (run.length > 1 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        // ADF allows the code mark together with a link only.
        if (code) out.push(text(code, [...marks.filter((m) => m.type === 'link'), { type: 'code' }]));
        i = close + run.length;
        continue;
      }
    }
    const link =
      !linked && c === '['
        ? /^\[((?:\\.|[^\]\\])+)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/.exec(rest)
        : null;
    if (link) {
      flush();
      out.push(...parseInline(link[1]!, [...marks, { type: 'link', attrs: { href: link[2]! } }]));
      i += link[0].length;
      continue;
    }
    const auto = !linked && c === '<' ? /^<(https?:\/\/[^>\s]+)>/.exec(rest) : null;
    if (auto) {
      flush();
      out.push(text(auto[1]!, [...marks, { type: 'link', attrs: { href: auto[1]! } }]));
      i += auto[0].length;
      continue;
    }
    const bare =
      !linked && (c === 'h' || c === 'H') && (i === 0 || /[\s(]/.test(source[i - 1]!))
        ? URL_AT.exec(rest)
        : null;
    if (bare) {
      flush();
      out.push(text(bare[0], [...marks, { type: 'link', attrs: { href: bare[0] } }]));
      i += bare[0].length;
      continue;
    }
    const emphasis = delimited(source, i);
    if (emphasis) {
      flush();
      out.push(...parseInline(emphasis.inner, [...marks, { type: emphasis.mark }]));
      i = emphasis.end;
      continue;
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

/** `**x**`/`__x__` strong, `*x*`/`_x_` em, `~~x~~` strike; `_` only at word boundaries (snake_case stays text). */
function delimited(source: string, i: number): { inner: string; mark: string; end: number } | null {
  for (const [marker, mark] of [
    ['**', 'strong'],
    ['__', 'strong'],
    ['~~', 'strike'],
    ['*', 'em'],
    ['_', 'em'],
  ] as const) {
    if (!source.startsWith(marker, i)) continue;
    const open = i + marker.length;
    if (open >= source.length || /\s/.test(source[open]!)) continue;
    if (marker.includes('_') && i > 0 && /\w/.test(source[i - 1]!)) continue;
    let close = source.indexOf(marker, open + 1);
    while (close > 0) {
      const wordAfter = marker.includes('_') && /\w/.test(source[close + marker.length] ?? '');
      const doubled = marker.length === 1 && source[close + 1] === marker;
      if (!/\s/.test(source[close - 1]!) && !wordAfter && !doubled) break;
      close = source.indexOf(marker, close + (doubled ? 2 : 1));
    }
    if (close < open + 1) continue;
    // `***` closing `**…*x*`: the strong closes on the last two, leaving the first to close the em inside.
    if (marker.length === 2) while (source[close + 2] === marker[0]) close++;
    return { inner: source.slice(open, close), mark, end: close + marker.length };
  }
  return null;
}

function text(value: string, marks: AdfMark[]): AdfNode {
  return marks.length
    ? { type: 'text', text: value, marks: marks.map((m) => ({ ...m })) }
    : { type: 'text', text: value };
}
