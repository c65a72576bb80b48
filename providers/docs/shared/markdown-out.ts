// The neutral document back to markdown (GFM): the reverse of markdown-in, used for GitBook pages and to read a
// Confluence or Notion page back as markdown. Output is canonical (`-` bullets, `**`, `_`, fenced code), so a
// document written and read again is equal to itself.
import type { Align, DocBlock, Inline, ListItem, Span } from './doc-model.js';

export interface MarkdownOptions {
  /** Heading levels outside this range are clamped into it (GitBook has three content levels under the page title). */
  minHeading?: number;
  maxHeading?: number;
}

export function docToMarkdown(doc: DocBlock[], options: MarkdownOptions = {}): string {
  return `${renderBlocks(doc, options).join('\n\n')}\n`;
}

function renderBlocks(doc: DocBlock[], options: MarkdownOptions): string[] {
  const out: string[] = [];
  doc.forEach((b, i) => {
    // Two lists in a row would merge into one when read again; a comment between them keeps them apart.
    if (b.type === 'list' && doc[i - 1]?.type === 'list') out.push('<!-- -->');
    out.push(renderBlock(b, options));
  });
  return out;
}

function renderBlock(b: DocBlock, options: MarkdownOptions): string {
  switch (b.type) {
    case 'heading': {
      const level = Math.min(options.maxHeading ?? 6, Math.max(options.minHeading ?? 1, b.level));
      return `${'#'.repeat(level)} ${renderInline(b.content, 'heading')}`;
    }
    case 'paragraph':
      return escapeLineStart(renderInline(b.content, 'block'));
    case 'code':
      return fence(b.text, b.language);
    case 'quote':
      return renderBlocks(b.children, options)
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'list':
      return b.items
        .map((item, i) => renderItem(item, b.ordered ? `${(b.start ?? 1) + i}.` : '-', options))
        .join('\n');
    case 'table':
      return renderTable(b.header, b.rows, b.align);
    case 'divider':
      return '---';
  }
}

function renderItem(item: ListItem, marker: string, options: MarkdownOptions): string {
  const box = item.checked === undefined ? '' : item.checked ? '[x] ' : '[ ] ';
  const pad = ' '.repeat(marker.length + 1);
  const head = `${marker} ${box}${escapeLineStart(renderInline(item.content, 'block'))}`.trimEnd();
  const rest = renderBlocks(item.children, options).map((child) =>
    child
      .split('\n')
      .map((line) => (line ? pad + line : line))
      .join('\n'),
  );
  // A paragraph child needs a blank line (loose item); nested lists and code sit right under the item.
  const loose = item.children.some((c) => c.type === 'paragraph' || c.type === 'quote' || c.type === 'table');
  return [head, ...rest].join(loose ? '\n\n' : '\n');
}

function renderTable(header: Inline[], rows: Inline[][], align: Align[]): string {
  const cell = (c: Inline | undefined): string => renderInline(c ?? [], 'table').replace(/\n/g, ' ');
  const rule = header.map((_, i) => {
    const a = align[i];
    return a === 'left' ? ':--' : a === 'right' ? '--:' : a === 'center' ? ':-:' : '---';
  });
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(header.map(cell)),
    line(rule),
    ...rows.map((r) => line(header.map((_, i) => cell(r[i])))),
  ].join('\n');
}

function fence(text: string, language: string | null): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language ?? ''}\n${text}\n${ticks}`;
}

type Where = 'block' | 'heading' | 'table';

function renderInline(spans: Inline, where: Where): string {
  let out = '';
  for (let i = 0; i < spans.length;) {
    // Consecutive spans with one link become one [text](href).
    const href = spans[i]!.href;
    let j = i;
    while (j < spans.length && spans[j]!.href === href) j++;
    const text = spans
      .slice(i, j)
      .map((s, k, group) =>
        renderSpan(
          s,
          where,
          out +
            group
              .slice(0, k)
              .map((g) => g.text)
              .join(''),
        ),
      )
      .join('');
    out += href === undefined ? text : `[${text}](${linkTarget(href)})`;
    i = j;
  }
  return out;
}

function renderSpan(s: Span, where: Where, before: string): string {
  if (s.text === '\n') return where === 'block' ? '\\\n' : ' ';
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(s.text)!;
  const [, lead = '', core = '', trail = ''] = m;
  if (!core) return s.text;
  let text = s.marks.code ? codeSpan(core) : escapeText(core, where);
  if (!s.marks.code) text = text.replace(/\n/g, where === 'block' ? '\\\n' : ' ');
  if (s.marks.strike) text = `~~${text}~~`;
  // `_` cannot open emphasis inside a word; `*` can.
  if (s.marks.italic) text = /[\p{L}\p{N}]$/u.test(before + lead) ? `*${text}*` : `_${text}_`;
  if (s.marks.bold) text = `**${text}**`;
  return lead + text + trail;
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || /^ .* $/.test(text) ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function escapeText(text: string, where: Where): string {
  const escaped = text.replace(/[\\`*_~[\]<>]/g, '\\$&').replace(/&(?=#?\w+;)/g, '&amp;');
  return where === 'table' ? escaped.replace(/\|/g, '\\|') : escaped;
}

/** Characters that would make a paragraph's first line a heading, quote, list or rule when read again. */
function escapeLineStart(text: string): string {
  return text
    .replace(/^(#{1,6}(?:\s|$)|>|[-+=](?=\s|$)|-{3,})/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

function linkTarget(href: string): string {
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
}
