// A small parser for well-formed XHTML fragments (Confluence storage format): elements with attributes, text, CDATA
// and the predefined/numeric entities. Enough to read a page body back; not a general XML parser (no DTDs, no PIs).

export type XmlNode = XmlElement | { kind: 'text'; text: string };

export interface XmlElement {
  kind: 'element';
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#')
      return String.fromCodePoint(
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10),
      );
    return NAMED[name] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Parses a fragment (several top-level nodes allowed). Unclosed tags close at the end; stray end tags are skipped. */
export function parseXml(source: string): XmlNode[] {
  const root: XmlElement = { kind: 'element', name: '#root', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const top = (): XmlElement => stack[stack.length - 1]!;
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i + 9);
      const stop = end === -1 ? source.length : end;
      pushText(top(), source.slice(i + 9, stop));
      i = stop + 3;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      i = end === -1 ? source.length : end + 3;
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      const name = source.slice(i + 2, end === -1 ? source.length : end).trim();
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) stack.length = at;
      i = end === -1 ? source.length : end + 1;
    } else if (source[i] === '<' && /[A-Za-z]/.test(source[i + 1] ?? '')) {
      const tag = /^<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/.exec(
        source.slice(i),
      );
      if (!tag) {
        pushText(top(), '<');
        i += 1;
        continue;
      }
      const element: XmlElement = {
        kind: 'element',
        name: tag[1]!,
        attrs: attributes(tag[2] ?? ''),
        children: [],
      };
      top().children.push(element);
      if (!tag[3]) stack.push(element);
      i += tag[0].length;
    } else {
      const next = source.indexOf('<', i + 1);
      const stop = next === -1 ? source.length : next;
      pushText(top(), decodeEntities(source.slice(i, stop)));
      i = stop;
    }
  }
  return root.children;
}

function pushText(parent: XmlElement, text: string): void {
  const last = parent.children[parent.children.length - 1];
  if (last?.kind === 'text') last.text += text;
  else if (text) parent.children.push({ kind: 'text', text });
}

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g))
    out[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

/** All text under a node, CDATA included. */
export function textOf(node: XmlNode): string {
  return node.kind === 'text' ? node.text : node.children.map(textOf).join('');
}
