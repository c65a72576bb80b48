// Confluence storage format (XHTML) back into the neutral document: what storage-out writes, plus the usual variants
// the Confluence editor saves (<b>/<i>, line-through spans, <pre>, panels whose body is read as a quote).
import {
  normalizeBlocks,
  span,
  type Align,
  type DocBlock,
  type Inline,
  type ListItem,
  type Marks,
} from './doc-model.js';
import { parseXml, textOf, type XmlElement, type XmlNode } from './xml-lite.js';

export function storageToDoc(storage: string): DocBlock[] {
  return normalizeBlocks(blocks(parseXml(storage)));
}

const INLINE = new Set([
  'strong',
  'b',
  'em',
  'i',
  's',
  'del',
  'strike',
  'code',
  'a',
  'br',
  'span',
  'u',
  'sup',
  'sub',
  'ac:link',
  'ac:emoticon',
]);

function blocks(nodes: XmlNode[]): DocBlock[] {
  const out: DocBlock[] = [];
  let loose: XmlNode[] = [];
  const flush = (): void => {
    const content = inline(loose);
    if (content.some((s) => s.text.trim())) out.push({ type: 'paragraph', content });
    loose = [];
  };
  for (const node of nodes) {
    if (node.kind === 'text' || INLINE.has(node.name)) {
      loose.push(node);
      continue;
    }
    flush();
    out.push(...block(node));
  }
  flush();
  return out;
}

function block(el: XmlElement): DocBlock[] {
  const heading = /^h([1-6])$/.exec(el.name);
  if (heading) return [{ type: 'heading', level: Number(heading[1]) as 1, content: inline(el.children) }];
  switch (el.name) {
    case 'p':
      return [{ type: 'paragraph', content: inline(el.children) }];
    case 'ul':
    case 'ol': {
      const start = Number(el.attrs.start ?? '1');
      const items = elements(el, 'li').map((li) => item(li.children));
      return el.name === 'ol' && start !== 1
        ? [{ type: 'list', ordered: true, start, items }]
        : [{ type: 'list', ordered: el.name === 'ol', items }];
    }
    case 'ac:task-list': {
      const items = elements(el, 'ac:task').map((task) => {
        const status = textOf(elements(task, 'ac:task-status')[0] ?? { kind: 'text', text: '' }).trim();
        const body = elements(task, 'ac:task-body')[0];
        return { ...item(body?.children ?? []), checked: status === 'complete' };
      });
      return [{ type: 'list', ordered: false, items }];
    }
    case 'ac:structured-macro':
      return macro(el);
    case 'pre':
      return [{ type: 'code', language: null, text: textOf(el) }];
    case 'blockquote':
      return [{ type: 'quote', children: blocks(el.children) }];
    case 'hr':
      return [{ type: 'divider' }];
    case 'table':
      return [table(el)];
    default:
      return blocks(el.children);
  }
}

function macro(el: XmlElement): DocBlock[] {
  const name = el.attrs['ac:name'];
  if (name === 'code' || name === 'noformat') {
    const language = elements(el, 'ac:parameter').find((p) => p.attrs['ac:name'] === 'language');
    const body = elements(el, 'ac:plain-text-body')[0];
    return [
      {
        type: 'code',
        language: language ? textOf(language).trim() || null : null,
        text: body ? textOf(body) : '',
      },
    ];
  }
  const rich = elements(el, 'ac:rich-text-body')[0];
  return rich ? [{ type: 'quote', children: blocks(rich.children) }] : [];
}

/** An <li> or task body: its first paragraph (or leading inline nodes) is the item text, the rest its children. */
function item(nodes: XmlNode[]): ListItem {
  const firstBlock = nodes.findIndex((n) => n.kind === 'element' && !INLINE.has(n.name));
  const leading = firstBlock === -1 ? nodes : nodes.slice(0, firstBlock);
  const rest = firstBlock === -1 ? [] : nodes.slice(firstBlock);
  let content = inline(leading);
  let children = blocks(rest);
  if (!content.some((s) => s.text.trim()) && children[0]?.type === 'paragraph') {
    content = children[0].content;
    children = children.slice(1);
  }
  return { content, children };
}

function table(el: XmlElement): DocBlock {
  const rows = elements(el, 'tr', true);
  const cells = rows.map((tr) =>
    tr.children.filter((c): c is XmlElement => c.kind === 'element' && (c.name === 'th' || c.name === 'td')),
  );
  const headerRow = cells[0] ?? [];
  const align: Align[] = headerRow.map((c) => {
    const a = /text-align:\s*(left|center|right)/.exec(c.attrs.style ?? '')?.[1];
    return (a as Align | undefined) ?? null;
  });
  const content = (c: XmlElement): Inline => {
    const inner = blocks(c.children);
    return inner.flatMap((b, i) => [
      ...(i > 0 ? [span(' ')] : []),
      ...(b.type === 'paragraph' || b.type === 'heading' ? b.content : [span(textOfBlock(b))]),
    ]);
  };
  return {
    type: 'table',
    header: headerRow.map(content),
    rows: cells.slice(1).map((r) => r.map(content)),
    align,
  };
}

function textOfBlock(b: DocBlock): string {
  return b.type === 'code' ? b.text : '';
}

/** Child elements by name; with `deep`, also through tbody/thead/tfoot. */
function elements(el: XmlElement, name: string, deep = false): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of el.children) {
    if (child.kind !== 'element') continue;
    if (child.name === name) out.push(child);
    else if (deep && ['tbody', 'thead', 'tfoot'].includes(child.name)) out.push(...elements(child, name));
  }
  return out;
}

function inline(nodes: XmlNode[], marks: Marks = {}, href?: string): Inline {
  const out: Inline = [];
  for (const node of nodes) {
    if (node.kind === 'text') {
      // Whitespace between tags is layout, not text; inside a run it collapses like HTML.
      const text = node.text.replace(/\s+/g, ' ');
      if (text.trim() || out.length) out.push(span(text, marks, href));
      continue;
    }
    switch (node.name) {
      case 'strong':
      case 'b':
        out.push(...inline(node.children, { ...marks, bold: true }, href));
        break;
      case 'em':
      case 'i':
        out.push(...inline(node.children, { ...marks, italic: true }, href));
        break;
      case 's':
      case 'del':
      case 'strike':
        out.push(...inline(node.children, { ...marks, strike: true }, href));
        break;
      case 'span':
        out.push(
          ...inline(
            node.children,
            /line-through/.test(node.attrs.style ?? '') ? { ...marks, strike: true } : marks,
            href,
          ),
        );
        break;
      case 'code':
        out.push(span(textOf(node), { ...marks, code: true }, href));
        break;
      case 'a':
        out.push(...inline(node.children, marks, node.attrs.href ?? href));
        break;
      case 'br':
        out.push(span('\n', marks, href));
        break;
      default:
        out.push(...inline(node.children, marks, href));
    }
  }
  // Trailing layout whitespace would otherwise survive as a space after the last word.
  const last = out[out.length - 1];
  if (last && !last.marks.code) last.text = last.text.replace(/ +$/, '');
  const first = out[0];
  if (first && !first.marks.code) first.text = first.text.replace(/^ +/, '');
  return out;
}
