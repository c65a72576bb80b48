// Jira wiki markup, the rich-text format of Jira Data Center's v2 API (Cloud uses ADF): aidev's markdown is written as
// wiki markup (through the same ADF tree markdownToAdf builds), and wiki markup read back is turned into markdown.
// https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all
import type { AdfNode } from './adf-types.js';
import { markdownToAdf } from './from-markdown.js';

export function markdownToWiki(markdown: string): string {
  return wikiBlocks(markdownToAdf(markdown).content).trim();
}

function wikiBlocks(nodes: AdfNode[], depth = ''): string {
  return nodes.map((n) => wikiBlock(n, depth)).join('\n\n');
}

function wikiBlock(node: AdfNode, prefix: string): string {
  switch (node.type) {
    case 'paragraph':
      return wikiInline(node.content ?? []);
    case 'heading':
      return `h${Number(node.attrs?.level ?? 1)}. ${wikiInline(node.content ?? [])}`;
    case 'bulletList':
    case 'orderedList': {
      const marker = prefix + (node.type === 'bulletList' ? '*' : '#');
      return (node.content ?? [])
        .map((item) =>
          (item.content ?? [])
            .map((child, i) =>
              child.type === 'paragraph' && i === 0
                ? `${marker} ${wikiInline(child.content ?? [])}`
                : wikiBlock(child, marker),
            )
            .join('\n'),
        )
        .join('\n');
    }
    case 'codeBlock': {
      const language =
        typeof node.attrs?.language === 'string' && node.attrs.language ? `:${node.attrs.language}` : '';
      return `{code${language}}\n${(node.content ?? []).map((n) => n.text ?? '').join('')}\n{code}`;
    }
    case 'blockquote':
      return `{quote}\n${wikiBlocks(node.content ?? [])}\n{quote}`;
    case 'rule':
      return '----';
    default:
      return wikiInline(node.content ?? []);
  }
}

function wikiInline(nodes: AdfNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'hardBreak') return '\n';
      let text = node.text ?? '';
      const marks = node.marks ?? [];
      const has = (type: string) => marks.some((m) => m.type === type);
      if (has('code')) text = `{{${text}}}`;
      else {
        text = text.replace(/([*_{}[\]|^~+-])/g, '\\$1');
        if (has('strike')) text = `-${text}-`;
        if (has('em')) text = `_${text}_`;
        if (has('strong')) text = `*${text}*`;
      }
      const href = marks.find((m) => m.type === 'link')?.attrs?.href;
      if (typeof href === 'string')
        return node.text === href && !has('code') ? `[${href}]` : `[${text}|${href}]`;
      return text;
    })
    .join('');
}

/** Wiki markup → markdown, line by line: headings, lists, code/quote/noformat blocks, links, text effects. */
export function wikiToMarkdown(wiki: string): string {
  const out: string[] = [];
  const lines = wiki.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const code = /^\s*\{(code|noformat)(?::([\w+#-]+))?[^}]*\}\s*(.*)$/.exec(line);
    if (code) {
      const body: string[] = code[3] ? [code[3]] : [];
      for (i++; i < lines.length && !new RegExp(`\\{${code[1]}\\}`).test(lines[i]!); i++)
        body.push(lines[i]!);
      const tail = lines[i]?.replace(new RegExp(`\\{${code[1]}\\}.*$`), '');
      if (tail) body.push(tail);
      out.push(`\`\`\`${code[2] ?? ''}`, ...body, '```');
      continue;
    }
    if (/^\s*\{quote\}\s*$/.test(line)) {
      for (i++; i < lines.length && !/^\s*\{quote\}\s*$/.test(lines[i]!); i++)
        out.push(`> ${inlineWiki(lines[i]!)}`.trimEnd());
      continue;
    }
    const heading = /^\s*h([1-6])\.\s+(.*)$/.exec(line);
    if (heading) {
      out.push(`${'#'.repeat(Number(heading[1]))} ${inlineWiki(heading[2]!)}`);
      continue;
    }
    if (/^\s*-{4,}\s*$/.test(line)) {
      out.push('---');
      continue;
    }
    const item = /^\s*([*#]+|-)\s+(.*)$/.exec(line);
    if (item) {
      const markers = item[1]!;
      const indent = '  '.repeat(markers.length - 1);
      out.push(`${indent}${markers.endsWith('#') ? '1.' : '-'} ${inlineWiki(item[2]!)}`);
      continue;
    }
    if (/^\s*bq\.\s/.test(line)) {
      out.push(`> ${inlineWiki(line.replace(/^\s*bq\.\s/, ''))}`);
      continue;
    }
    out.push(inlineWiki(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function inlineWiki(text: string): string {
  return text
    .replace(/\{\{(.+?)\}\}/g, (_m, code: string) => `\`${code}\``)
    .replace(/\[([^|\]]+)\|([^\]]+)\]/g, (_m, label: string, href: string) => `[${label}](${href})`)
    .replace(/\[(https?:\/\/[^\]]+)\]/g, '$1')
    .replace(/\[~([^\]]+)\]/g, '@$1')
    .replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=$|[\s).,;:!?])/g, '$1**$2**')
    .replace(/(^|[\s(])_(\S(?:.*?\S)?)_(?=$|[\s).,;:!?])/g, '$1*$2*')
    .replace(/(^|[\s(])-(\S(?:.*?\S)?)-(?=$|[\s).,;:!?])/g, '$1~~$2~~')
    .replace(/\\([*_{}[\]|^~+-])/g, '$1');
}
