// Notion blocks back into the neutral document: what notion-out writes (request shape) or what the API returns
// (response shape, with `children` filled in from blocks.children.list by the caller). Unknown block types keep
// their text as a paragraph.
import { normalizeBlocks, span, type DocBlock, type Inline, type ListItem } from './doc-model.js';

export interface NotionBlockLike {
  type: string;
  /** Children read separately from the API (response shape); request-shape blocks nest them in the type object. */
  children?: NotionBlockLike[];
  [key: string]: unknown;
}

interface RichTextLike {
  plain_text?: string;
  href?: string | null;
  text?: { content?: string; link?: { url?: string } | null };
  annotations?: { bold?: boolean; italic?: boolean; strikethrough?: boolean; code?: boolean };
}

export function notionToDoc(blocks: NotionBlockLike[]): DocBlock[] {
  return normalizeBlocks(read(blocks));
}

function body(b: NotionBlockLike): Record<string, unknown> {
  return (b[b.type] as Record<string, unknown> | undefined) ?? {};
}

function childrenOf(b: NotionBlockLike): NotionBlockLike[] {
  return b.children ?? (body(b).children as NotionBlockLike[] | undefined) ?? [];
}

function read(blocks: NotionBlockLike[]): DocBlock[] {
  const out: DocBlock[] = [];
  for (const b of blocks) {
    const kind = listKind(b.type);
    if (kind) {
      const item: ListItem = { content: inline(body(b).rich_text), children: read(childrenOf(b)) };
      if (b.type === 'to_do') item.checked = body(b).checked === true;
      const last = out[out.length - 1];
      if (last?.type === 'list' && last.ordered === (kind === 'ordered') && sameKind(last.items[0], item))
        last.items.push(item);
      else out.push({ type: 'list', ordered: kind === 'ordered', items: [item] });
      continue;
    }
    out.push(...one(b));
  }
  return out;
}

function listKind(type: string): 'ordered' | 'bullet' | undefined {
  if (type === 'numbered_list_item') return 'ordered';
  if (type === 'bulleted_list_item' || type === 'to_do') return 'bullet';
  return undefined;
}

function sameKind(a: ListItem | undefined, b: ListItem): boolean {
  return !!a && (a.checked === undefined) === (b.checked === undefined);
}

function one(b: NotionBlockLike): DocBlock[] {
  const heading = /^heading_([1-3])$/.exec(b.type);
  if (heading)
    return [{ type: 'heading', level: Number(heading[1]) as 1, content: inline(body(b).rich_text) }];
  switch (b.type) {
    case 'paragraph': {
      const content = inline(body(b).rich_text);
      return content.length ? [{ type: 'paragraph', content }] : [];
    }
    case 'code': {
      const language = body(b).language;
      const text = inline(body(b).rich_text)
        .map((s) => s.text)
        .join('');
      return [
        {
          type: 'code',
          language: typeof language === 'string' && language !== 'plain text' ? language : null,
          text,
        },
      ];
    }
    case 'quote': {
      const lead = inline(body(b).rich_text);
      return [
        {
          type: 'quote',
          children: [
            ...(lead.length ? [{ type: 'paragraph', content: lead } as DocBlock] : []),
            ...read(childrenOf(b)),
          ],
        },
      ];
    }
    case 'divider':
      return [{ type: 'divider' }];
    case 'table': {
      const rows = childrenOf(b)
        .filter((r) => r.type === 'table_row')
        .map((r) => ((body(r).cells as unknown[][] | undefined) ?? []).map(inline));
      const [header = [], ...rest] = rows;
      return [{ type: 'table', header, rows: rest, align: header.map(() => null) }];
    }
    default: {
      const content = inline(body(b).rich_text);
      return [
        ...(content.length ? [{ type: 'paragraph', content } as DocBlock] : []),
        ...read(childrenOf(b)),
      ];
    }
  }
}

function inline(value: unknown): Inline {
  if (!Array.isArray(value)) return [];
  return (value as RichTextLike[]).map((r) => {
    const text = r.text?.content ?? r.plain_text ?? '';
    const href = r.text?.link?.url ?? r.href ?? undefined;
    const a = r.annotations ?? {};
    return span(
      text,
      {
        bold: a.bold || undefined,
        italic: a.italic || undefined,
        strike: a.strikethrough || undefined,
        code: a.code || undefined,
      },
      href ?? undefined,
    );
  });
}
