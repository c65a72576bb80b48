// What the Notion fake answers with and what it checks beyond the schemas: request-shape rich text and blocks turned
// into the response shapes of the pinned SDK's types, and Notion's documented per-request limits.
import type { Loopback, RecordedRequest } from './loopback.js';

export type Json = Record<string, unknown>;
export interface Block {
  id: string;
  parent: Json;
  type: string;
  body: Json;
  children: string[];
}
export interface FakeNotionPage {
  id: string;
  parent: Json;
  title: string;
  properties: Json;
  inTrash: boolean;
}

export interface NotionFake extends Loopback {
  pages: Map<string, FakeNotionPage>;
  blocks: Map<string, Block>;
  /** The page's body read back: top-level blocks with children nested (request shape, for notionToDoc). */
  tree(pageId: string): Json[];
  failNext(operation: string, status: number, retryAfter?: number): void;
  calls(operation: string): RecordedRequest[];
}

export const USER = { object: 'user', id: '00000000-0000-4000-8000-000000000001' };
export const TIME = '2025-01-01T00:00:00.000Z';
export const CODES: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'restricted_resource',
  404: 'object_not_found',
  409: 'conflict_error',
  429: 'rate_limited',
};

export const richResponse = (items: unknown): Json[] =>
  ((items as Json[] | undefined) ?? []).map((r) => {
    const text = r.text as { content: string; link?: { url: string } | null };
    const a = (r.annotations ?? {}) as Json;
    return {
      type: 'text',
      text: { content: text.content, link: text.link ?? null },
      annotations: {
        bold: !!a.bold,
        italic: !!a.italic,
        strikethrough: !!a.strikethrough,
        underline: !!a.underline,
        code: !!a.code,
        color: (a.color as string | undefined) ?? 'default',
      },
      plain_text: text.content,
      href: text.link?.url ?? null,
    };
  });

export const bodyResponse = (type: string, body: Json): Json => {
  const rich = {
    rich_text: richResponse(body.rich_text),
    color: (body.color as string | undefined) ?? 'default',
  };
  if (/^heading_[123]$/.test(type)) return { ...rich, is_toggleable: false };
  switch (type) {
    case 'paragraph':
      return { ...rich, icon: null };
    case 'quote':
    case 'bulleted_list_item':
    case 'numbered_list_item':
      return rich;
    case 'to_do':
      return { ...rich, checked: !!body.checked };
    case 'code':
      return { rich_text: richResponse(body.rich_text), caption: [], language: body.language };
    case 'table':
      return {
        table_width: body.table_width,
        has_column_header: !!body.has_column_header,
        has_row_header: !!body.has_row_header,
      };
    case 'table_row':
      return { cells: ((body.cells as unknown[]) ?? []).map(richResponse) };
    case 'child_page':
      return { title: body.title };
    default:
      return {};
  }
};

export const blockResponse = (b: Block): Json => ({
  object: 'block',
  id: b.id,
  parent: b.parent,
  created_time: TIME,
  created_by: USER,
  last_edited_time: TIME,
  last_edited_by: USER,
  has_children: b.children.length > 0,
  in_trash: false,
  archived: false,
  type: b.type,
  [b.type]: b.body,
});

export const pageResponse = (p: FakeNotionPage): Json => ({
  object: 'page',
  id: p.id,
  created_time: TIME,
  last_edited_time: TIME,
  created_by: USER,
  last_edited_by: USER,
  cover: null,
  icon: null,
  parent: p.parent,
  in_trash: p.inTrash,
  archived: p.inTrash,
  is_archived: p.inTrash,
  is_locked: false,
  properties: {
    title: { id: 'title', type: 'title', title: richResponse([{ text: { content: p.title } }]) },
  },
  url: `https://www.notion.so/${p.title.replace(/\W+/g, '-')}-${p.id.replace(/-/g, '')}`,
  public_url: null,
});

/** Notion's documented limits, per request. */
export const limits = (children: unknown, depth: number, count: { n: number }, problems: string[]): void => {
  const list = (children as Json[] | undefined) ?? [];
  if (list.length > 100) problems.push(`a children array of ${list.length} blocks (at most 100)`);
  if (depth > 3 && list.length) problems.push('children nested more than two levels in one request');
  for (const block of list) {
    count.n++;
    const body = (block[block.type as string] ?? {}) as Json;
    const arrays = [body.rich_text, ...((body.cells as unknown[]) ?? [])].filter(Array.isArray) as Json[][];
    for (const arr of arrays) {
      if (arr.length > 100) problems.push(`a rich_text array of ${arr.length} items (at most 100)`);
      for (const item of arr) {
        const content = ((item.text as Json | undefined)?.content as string | undefined) ?? '';
        if (content.length > 2000)
          problems.push(`a rich-text item of ${content.length} characters (at most 2000)`);
      }
    }
    limits(body.children, depth + 1, count, problems);
  }
};
