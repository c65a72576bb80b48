// The neutral document every docs target converts through: markdown → DocBlock[] → Confluence storage, Notion blocks
// or GitBook markdown, and back. Inline text is a flat list of spans with marks (as Notion stores it), which makes
// two documents comparable with a plain deep-equal once normalized.

export interface Marks {
  bold?: true;
  italic?: true;
  strike?: true;
  code?: true;
}

/** A run of text with one set of marks; `\n` inside `text` is a hard line break. */
export interface Span {
  text: string;
  marks: Marks;
  href?: string;
}

export type Inline = Span[];

export type Align = 'left' | 'center' | 'right' | null;

export interface ListItem {
  /** true/false for a task-list item, undefined for a plain one. */
  checked?: boolean;
  content: Inline;
  /** Nested lists, code blocks and further paragraphs of the item. */
  children: DocBlock[];
}

export type DocBlock =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; content: Inline }
  | { type: 'paragraph'; content: Inline }
  | { type: 'list'; ordered: boolean; start?: number; items: ListItem[] }
  | { type: 'code'; language: string | null; text: string }
  | { type: 'quote'; children: DocBlock[] }
  | { type: 'table'; header: Inline[]; rows: Inline[][]; align: Align[] }
  | { type: 'divider' };

const MARK_ORDER = ['bold', 'italic', 'strike', 'code'] as const;

export function sameMarks(a: Marks, b: Marks): boolean {
  return MARK_ORDER.every((m) => a[m] === b[m]);
}

/** A span with its marks object rebuilt in one key order, so deep-equal does not depend on insertion order. */
export function span(text: string, marks: Marks = {}, href?: string): Span {
  const clean: Marks = {};
  for (const m of MARK_ORDER) if (marks[m]) clean[m] = true;
  return href === undefined ? { text, marks: clean } : { text, marks: clean, href };
}

/** Drops empty spans and merges neighbours with the same marks and link. */
export function normalizeInline(spans: Inline): Inline {
  const out: Inline = [];
  for (const s of spans) {
    if (s.text === '') continue;
    const last = out[out.length - 1];
    if (last && sameMarks(last.marks, s.marks) && last.href === s.href) last.text += s.text;
    else out.push(span(s.text, s.marks, s.href));
  }
  return out;
}

/** Normalizes every inline run of a document, recursively (for comparisons in round-trip tests and before output). */
export function normalizeBlocks(blocks: DocBlock[]): DocBlock[] {
  return blocks.map((b): DocBlock => {
    switch (b.type) {
      case 'heading':
      case 'paragraph':
        return { ...b, content: normalizeInline(b.content) };
      case 'list':
        return {
          ...b,
          items: b.items.map((i) => ({
            ...(i.checked === undefined ? {} : { checked: i.checked }),
            content: normalizeInline(i.content),
            children: normalizeBlocks(i.children),
          })),
        };
      case 'quote':
        return { type: 'quote', children: normalizeBlocks(b.children) };
      case 'table':
        return {
          ...b,
          header: b.header.map(normalizeInline),
          rows: b.rows.map((r) => r.map(normalizeInline)),
        };
      default:
        return b;
    }
  });
}

/** The plain text of an inline run (titles, table cells in logs). */
export function plainText(spans: Inline): string {
  return spans.map((s) => s.text).join('');
}
