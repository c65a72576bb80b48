// ADF (Jira Cloud descriptions and comments) → markdown for prompts and `aidev tasks show`. Writes what
// markdownToAdf reads, so the two round-trip; nodes markdown cannot express (panels, media, status lozenges…) degrade to
// their text instead of vanishing.
import type { AdfNode } from './adf-types.js';

export function adfToMarkdown(doc: AdfNode | null | undefined): string {
  if (!doc) return '';
  return blocks(doc.content ?? []).trim();
}

function blocks(nodes: AdfNode[]): string {
  return nodes
    .map(block)
    .filter((b) => b !== '')
    .join('\n\n');
}

function block(node: AdfNode): string {
  switch (node.type) {
    case 'paragraph':
      return guardLineStarts(inline(node.content ?? []));
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
      return `${'#'.repeat(level)} ${inline(node.content ?? [])}`;
    }
    case 'bulletList':
    case 'orderedList':
      return list(node);
    case 'codeBlock': {
      const code = (node.content ?? []).map((n) => n.text ?? '').join('');
      const fence = code.includes('```') ? '~~~' : '```';
      return `${fence}${typeof node.attrs?.language === 'string' ? node.attrs.language : ''}\n${code}\n${fence}`;
    }
    case 'blockquote':
    case 'panel':
      return blocks(node.content ?? [])
        .split('\n')
        .map((l) => (l ? `> ${l}` : '>'))
        .join('\n');
    case 'rule':
      return '---';
    case 'table':
      return table(node);
    case 'mediaSingle':
    case 'mediaGroup':
      return '[attachment]';
    case 'expand':
    case 'nestedExpand': {
      const title =
        typeof node.attrs?.title === 'string' && node.attrs.title ? `**${node.attrs.title}**\n\n` : '';
      return title + blocks(node.content ?? []);
    }
    case 'blockCard':
    case 'embedCard':
      return typeof node.attrs?.url === 'string' ? node.attrs.url : '';
    default:
      return node.content ? blocks(node.content) : inline([node]);
  }
}

function list(node: AdfNode): string {
  const ordered = node.type === 'orderedList';
  let n = Number(node.attrs?.order ?? 1);
  return (node.content ?? [])
    .map((item) => {
      const marker = ordered ? `${n++}. ` : '- ';
      const pad = ' '.repeat(marker.length);
      const parts = (item.content ?? []).map((child) =>
        child.type === 'paragraph' ? guardLineStarts(inline(child.content ?? [])) : block(child),
      );
      return (marker + parts.join('\n'))
        .split('\n')
        .map((line, i) => (i === 0 || !line ? line : pad + line))
        .join('\n');
    })
    .join('\n');
}

function table(node: AdfNode): string {
  const rows = (node.content ?? []).map((row) =>
    (row.content ?? []).map((cell) =>
      blocks(cell.content ?? [])
        .replace(/\n+/g, ' ')
        .replace(/\|/g, '\\|'),
    ),
  );
  if (!rows.length) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]) =>
    `| ${[...cells, ...Array<string>(width - cells.length).fill('')].join(' | ')} |`;
  return [line(rows[0]!), line(Array<string>(width).fill('---')), ...rows.slice(1).map(line)].join('\n');
}

function inline(nodes: AdfNode[]): string {
  // Consecutive nodes under the same link become one [label](href); the rest is written mark by mark.
  const out: string[] = [];
  for (let i = 0; i < nodes.length;) {
    const href = hrefOf(nodes[i]!);
    let j = i + 1;
    while (j < nodes.length && hrefOf(nodes[j]!) === href) j++;
    const group = nodes.slice(i, j);
    if (href === undefined) out.push(styled(group));
    else {
      const only = group.length === 1 ? group[0]! : undefined;
      const plain = only?.text === href && !(only.marks ?? []).some((m) => m.type !== 'link');
      out.push(plain ? href : `[${styled(group)}](${href})`);
    }
    i = j;
  }
  return out.join('');
}

function hrefOf(node: AdfNode): string | undefined {
  const href = node.type === 'text' ? node.marks?.find((m) => m.type === 'link')?.attrs?.href : undefined;
  return typeof href === 'string' ? href : undefined;
}

const DELIMITER: Record<string, string> = { strong: '**', em: '*', strike: '~~' };

/**
 * Text with strong/em/strike opened and closed as the marks change between nodes (so `*a **b** c*`, not
 * `*a ****b**** c*`), keeping spaces outside the delimiters, where markdown needs them.
 */
function styled(nodes: AdfNode[]): string {
  let out = '';
  let open: string[] = [];
  let space = '';
  const close = (keep: number) => {
    for (let k = open.length - 1; k >= keep; k--) out += DELIMITER[open[k]!];
    open = open.slice(0, keep);
  };
  for (const node of nodes) {
    if (node.type !== 'text') {
      close(0);
      out += space + leaf(node);
      space = '';
      continue;
    }
    const marks = node.marks ?? [];
    const want = marks.some((m) => m.type === 'code')
      ? []
      : ['strong', 'em', 'strike'].filter((t) => marks.some((m) => m.type === t));
    let keep = 0;
    while (keep < open.length && want.includes(open[keep]!)) keep++;
    close(keep);
    const raw = node.text ?? '';
    const lead = /^\s*/.exec(raw)![0];
    const trail = raw.length > lead.length ? /\s*$/.exec(raw)![0] : '';
    const core = raw.slice(lead.length, raw.length - trail.length);
    out += space + lead;
    space = trail;
    if (!core) continue;
    for (const mark of want.filter((m) => !open.includes(m))) {
      out += DELIMITER[mark];
      open.push(mark);
    }
    out += marks.some((m) => m.type === 'code') ? codeSpan(core) : escape(core);
  }
  close(0);
  return out + space;
}

function codeSpan(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function leaf(node: AdfNode): string {
  const attrs = node.attrs ?? {};
  switch (node.type) {
    case 'text':
      return styled([node]);
    case 'hardBreak':
      return '\n';
    case 'mention': {
      const name = typeof attrs.text === 'string' ? attrs.text.replace(/^@/, '') : str(attrs.id);
      return `@${name}`;
    }
    case 'emoji':
      return typeof attrs.text === 'string' ? attrs.text : str(attrs.shortName);
    case 'inlineCard':
      return typeof attrs.url === 'string' ? attrs.url : '';
    case 'status':
      return `[${str(attrs.text)}]`;
    case 'date':
      return attrs.timestamp ? new Date(Number(attrs.timestamp)).toISOString().slice(0, 10) : '';
    default:
      return node.content ? inline(node.content) : (node.text ?? '');
  }
}

/** Paragraph lines that would read as a heading, list item, quote, rule or fence get their marker escaped. */
function guardLineStarts(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(
          /^(\s*)(#{1,6}\s|[-+]\s|>|[-_]{3,}\s*$|~~~)/,
          (_m, space: string, marker: string) => `${space}\\${marker}`,
        )
        .replace(/^(\s*\d{1,9})([.)]\s)/, '$1\\$2'),
    )
    .join('\n');
}

/** Escapes what markdownToAdf would read as markup; `_` only where it could open or close emphasis. */
function escape(text: string): string {
  return text
    .replace(/([\\`*[\]])/g, '\\$1')
    .replace(/~~/g, '\\~\\~')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/<(https?:)/g, '\\<$1');
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
