// Markdown (CommonMark + GFM tables and task lists) into the neutral document, through marked's lexer. HTML blocks and
// images have no neutral form: their text is kept as a paragraph / a link, never dropped.
import { Lexer, type Token, type Tokens } from 'marked';
import { normalizeBlocks, span, type DocBlock, type Inline, type ListItem, type Marks } from './doc-model.js';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: '\u00a0',
};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '');
}

export function markdownToDoc(markdown: string): DocBlock[] {
  return normalizeBlocks(blocks(Lexer.lex(markdown, { gfm: true })));
}

function blocks(tokens: Token[]): DocBlock[] {
  const out: DocBlock[] = [];
  for (const token of tokens) out.push(...block(token));
  return out;
}

function block(token: Token): DocBlock[] {
  switch (token.type) {
    case 'heading': {
      const t = token as Tokens.Heading;
      return [{ type: 'heading', level: clampLevel(t.depth), content: inline(t.tokens) }];
    }
    case 'paragraph':
      return [{ type: 'paragraph', content: inline((token as Tokens.Paragraph).tokens) }];
    case 'text': {
      // A tight list item's text, or loose text at block level.
      const t = token as Tokens.Text;
      return [{ type: 'paragraph', content: t.tokens ? inline(t.tokens) : [span(decode(t.text))] }];
    }
    case 'code': {
      const t = token as Tokens.Code;
      const language = (t.lang ?? '').trim().split(/\s+/)[0] ?? '';
      return [{ type: 'code', language: language || null, text: t.text }];
    }
    case 'blockquote':
      return [{ type: 'quote', children: blocks((token as Tokens.Blockquote).tokens) }];
    case 'list':
      return [list(token as Tokens.List)];
    case 'table': {
      const t = token as Tokens.Table;
      return [
        {
          type: 'table',
          header: t.header.map((c) => inline(c.tokens)),
          rows: t.rows.map((row) => row.map((c) => inline(c.tokens))),
          align: t.align.map((a) => a ?? null),
        },
      ];
    }
    case 'hr':
      return [{ type: 'divider' }];
    case 'html': {
      // Comments carry nothing to show (markdown-out writes one to keep two lists apart).
      const text = (token as Tokens.HTML).text.replace(/<!--[\s\S]*?-->/g, '').trim();
      return text ? [{ type: 'paragraph', content: [span(text)] }] : [];
    }
    default:
      return [];
  }
}

function list(token: Tokens.List): DocBlock {
  const items: ListItem[] = token.items.map((item) => {
    const inner = item.tokens.filter((t) => t.type !== 'checkbox' && t.type !== 'space');
    const first = inner[0];
    const leading = first && (first.type === 'text' || first.type === 'paragraph');
    const content: Inline = leading ? (block(first)[0] as { content: Inline }).content : [];
    const children = blocks(leading ? inner.slice(1) : inner);
    return item.task ? { checked: item.checked === true, content, children } : { content, children };
  });
  const start = typeof token.start === 'number' ? token.start : undefined;
  return token.ordered && start !== undefined && start !== 1
    ? { type: 'list', ordered: true, start, items }
    : { type: 'list', ordered: token.ordered, items };
}

function clampLevel(depth: number): 1 | 2 | 3 | 4 | 5 | 6 {
  return Math.min(6, Math.max(1, depth)) as 1 | 2 | 3 | 4 | 5 | 6;
}

function inline(tokens: Token[] | undefined, marks: Marks = {}, href?: string): Inline {
  const out: Inline = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text':
      case 'escape': {
        const t = token as Tokens.Text;
        if (t.tokens?.length) out.push(...inline(t.tokens, marks, href));
        else out.push(span(token.type === 'escape' ? t.text : decode(t.text), marks, href));
        break;
      }
      case 'strong':
        out.push(...inline((token as Tokens.Strong).tokens, { ...marks, bold: true }, href));
        break;
      case 'em':
        out.push(...inline((token as Tokens.Em).tokens, { ...marks, italic: true }, href));
        break;
      case 'del':
        out.push(...inline((token as Tokens.Del).tokens, { ...marks, strike: true }, href));
        break;
      case 'codespan':
        out.push(span(decode((token as Tokens.Codespan).text), { ...marks, code: true }, href));
        break;
      case 'link': {
        const t = token as Tokens.Link;
        out.push(...inline(t.tokens, marks, t.href));
        break;
      }
      case 'image': {
        const t = token as Tokens.Image;
        out.push(span(t.text || t.href, marks, t.href));
        break;
      }
      case 'br':
        out.push(span('\n', marks, href));
        break;
      case 'html':
        out.push(span((token as Tokens.HTML).text, marks, href));
        break;
      default:
        if ('text' in token && typeof token.text === 'string') out.push(span(token.text, marks, href));
    }
  }
  return out;
}
