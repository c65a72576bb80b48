// The neutral document as Notion blocks (the request shape of blocks.children.append), within Notion's limits:
// rich-text items split at 2,000 characters (never truncated), at most 100 items per rich_text array. Children stay
// nested here; notion-batches decides what goes in which request.
import type { DocBlock, Inline, ListItem } from './doc-model.js';
import { NOTION_LIMITS, notionLanguage } from './notion-limits.js';

export interface NotionRichText {
  type: 'text';
  text: { content: string; link: { url: string } | null };
  annotations: {
    bold: boolean;
    italic: boolean;
    strikethrough: boolean;
    underline: boolean;
    code: boolean;
    color: 'default';
  };
}

/** One block in request shape; `children` of a block sit inside its type object, as the API takes them. */
export interface NotionBlock {
  object: 'block';
  type: string;
  [type: string]: unknown;
}

export function docToNotion(doc: DocBlock[]): NotionBlock[] {
  return doc.flatMap(block);
}

function make(type: string, body: Record<string, unknown>, children: NotionBlock[] = []): NotionBlock {
  return { object: 'block', type, [type]: children.length ? { ...body, children } : body };
}

function block(b: DocBlock): NotionBlock[] {
  switch (b.type) {
    case 'heading': {
      // Notion has three heading levels; deeper ones read as the smallest.
      const type = `heading_${Math.min(3, b.level)}`;
      return textBlocks(type, b.content, {});
    }
    case 'paragraph':
      return textBlocks('paragraph', b.content, {});
    case 'code':
      return [
        make('code', {
          rich_text: richText([{ text: b.text, marks: {} }]),
          language: notionLanguage(b.language),
        }),
      ];
    case 'divider':
      return [make('divider', {})];
    case 'quote': {
      const [first, ...rest] = b.children;
      const lead = first?.type === 'paragraph' ? first.content : [];
      const children = (first?.type === 'paragraph' ? rest : b.children).flatMap(block);
      return [make('quote', { rich_text: capped(richText(lead)) }, children)];
    }
    case 'list':
      return b.items.map((item) => listItem(item, b.ordered));
    case 'table': {
      const width = Math.max(1, b.header.length);
      const row = (cells: Inline[]): NotionBlock =>
        make('table_row', {
          cells: Array.from({ length: width }, (_, i) => capped(richText(cells[i] ?? []))),
        });
      return [
        make('table', { table_width: width, has_column_header: true, has_row_header: false }, [
          row(b.header),
          ...b.rows.map(row),
        ]),
      ];
    }
  }
}

function listItem(item: ListItem, ordered: boolean): NotionBlock {
  const children = item.children.flatMap(block);
  if (item.checked !== undefined)
    return make('to_do', { rich_text: capped(richText(item.content)), checked: item.checked }, children);
  return make(
    ordered ? 'numbered_list_item' : 'bulleted_list_item',
    { rich_text: capped(richText(item.content)) },
    children,
  );
}

/** A paragraph or heading whose rich text is over 100 items continues in further blocks of the same type. */
function textBlocks(type: string, content: Inline, extra: Record<string, unknown>): NotionBlock[] {
  const items = richText(content);
  if (items.length <= NOTION_LIMITS.richTextItems) return [make(type, { rich_text: items, ...extra })];
  const out: NotionBlock[] = [];
  for (let i = 0; i < items.length; i += NOTION_LIMITS.richTextItems)
    out.push(make(type, { rich_text: items.slice(i, i + NOTION_LIMITS.richTextItems), ...extra }));
  return out;
}

/** Where a block cannot be split (list item, cell), items past the limit merge into the last one as plain text. */
function capped(items: NotionRichText[]): NotionRichText[] {
  if (items.length <= NOTION_LIMITS.richTextItems) return items;
  const head = items.slice(0, NOTION_LIMITS.richTextItems - 1);
  const tail = items
    .slice(NOTION_LIMITS.richTextItems - 1)
    .map((i) => i.text.content)
    .join('');
  return [...head, ...richText([{ text: tail, marks: {} }]).slice(0, 1)];
}

export function richText(spans: Inline): NotionRichText[] {
  const out: NotionRichText[] = [];
  for (const s of spans) {
    // Notion takes absolute URLs only; a relative link keeps its target visible as text.
    const url =
      s.href !== undefined && isAbsolute(s.href) && s.href.length <= NOTION_LIMITS.richTextChars
        ? s.href
        : null;
    const text = s.href !== undefined && url === null ? `${s.text} (${s.href})` : s.text;
    for (const chunk of chunks(text, NOTION_LIMITS.richTextChars))
      out.push({
        type: 'text',
        text: { content: chunk, link: url ? { url } : null },
        annotations: {
          bold: !!s.marks.bold,
          italic: !!s.marks.italic,
          strikethrough: !!s.marks.strike,
          underline: false,
          code: !!s.marks.code,
          color: 'default',
        },
      });
  }
  return out;
}

function isAbsolute(href: string): boolean {
  return /^(https?:|mailto:)/i.test(href);
}

/** Splits at `size` UTF-16 units, never inside a surrogate pair. */
export function chunks(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + size);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}
