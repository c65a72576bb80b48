// Round trips per construct per target: markdown → neutral doc → target format → neutral doc must give back the same
// document, and the target text must carry the construct the way the vendor stores it.
import { describe, expect, it } from 'vitest';
import type { DocBlock } from './doc-model.js';
import { docToGitbook, gitbookToDoc } from './gitbook-markdown.js';
import { markdownToDoc } from './markdown-in.js';
import { docToMarkdown } from './markdown-out.js';
import { notionToDoc } from './notion-in.js';
import { docToNotion, type NotionBlock, type NotionRichText } from './notion-out.js';
import { storageToDoc } from './storage-in.js';
import { docToStorage } from './storage-out.js';

const constructs: Record<string, string> = {
  headings: '# One\n\n## Two `code`\n\n### Three',
  'bulleted list': '- alpha\n- beta\n  - nested\n    - deeper',
  'ordered list': '1. first\n2. second\n   1. inner',
  'task list': '- [ ] open item\n- [x] done item\n  - [ ] nested task',
  table: '| name | value |\n| --- | --- |\n| a \\| b | `x` |\n| **c** | [d](https://example.com/d) |',
  'code block with language': '```typescript\nconst a = "<b>" && 1;\n// ]]> is not a CDATA end here\n```',
  'code block without language': '```\nplain\n  indented\n```',
  links: 'See [the docs](https://example.com/a?b=1&c=2) and [**bold link**](https://example.com/b).',
  'inline code': 'Run `npm test` or ``a ` tick``.',
  emphasis: 'Some **bold**, _italic_, ~~struck~~ and **_both_** text.\\\nA hard break.',
  'quote and divider': '> quoted\n>\n> - with a list\n\n---\n\nafter',
};

type Target = { name: string; there: (doc: DocBlock[]) => unknown; back: (out: unknown) => DocBlock[] };

const targets: Target[] = [
  { name: 'markdown', there: (d) => docToMarkdown(d), back: (o) => markdownToDoc(o as string) },
  { name: 'Confluence storage', there: (d) => docToStorage(d), back: (o) => storageToDoc(o as string) },
  { name: 'Notion blocks', there: (d) => docToNotion(d), back: (o) => notionToDoc(o as NotionBlock[]) },
  {
    name: 'GitBook markdown',
    there: (d) => docToGitbook('Page', d),
    back: (o) => gitbookToDoc(o as string).doc,
  },
];

describe.each(targets)('round trip through $name', ({ name, there, back }) => {
  it.each(Object.entries(constructs))('%s', (construct, markdown) => {
    let doc = markdownToDoc(markdown);
    expect(doc.length).toBeGreaterThan(0);
    // The documented narrowings of each target, applied to the expectation (tested on their own below).
    if (name === 'GitBook markdown') doc = shiftHeadings(doc, 2, 4);
    if (name === 'Notion blocks' && construct === 'ordered list') doc = dropStart(doc);
    expect(back(there(doc))).toEqual(doc);
  });
});

describe('markdown', () => {
  it.each(Object.entries(constructs))('%s is written back canonically', (_construct, markdown) => {
    const once = docToMarkdown(markdownToDoc(markdown));
    expect(docToMarkdown(markdownToDoc(once))).toBe(once);
  });

  it('keeps two adjacent lists apart', () => {
    const doc: DocBlock[] = [
      { type: 'list', ordered: false, items: [{ content: [{ text: 'a', marks: {} }], children: [] }] },
      { type: 'list', ordered: false, items: [{ content: [{ text: 'b', marks: {} }], children: [] }] },
    ];
    expect(markdownToDoc(docToMarkdown(doc))).toEqual(doc);
  });

  it('escapes text that would read as markup', () => {
    const doc: DocBlock[] = [
      { type: 'paragraph', content: [{ text: '# not a heading *nor* [a](link) 1. item', marks: {} }] },
    ];
    expect(markdownToDoc(docToMarkdown(doc))).toEqual(doc);
  });
});

describe('Confluence storage format', () => {
  it('writes code blocks as the code macro with the language', () => {
    const xml = docToStorage(markdownToDoc('```python\nprint("]]>")\n```'));
    expect(xml).toContain('<ac:structured-macro ac:name="code" ac:schema-version="1">');
    expect(xml).toContain('<ac:parameter ac:name="language">python</ac:parameter>');
    expect(xml).toContain('<ac:plain-text-body><![CDATA[print("]]]]><![CDATA[>")]]></ac:plain-text-body>');
  });

  it('writes task lists as ac:task-list with statuses and unique ids', () => {
    const xml = docToStorage(markdownToDoc('- [ ] a\n- [x] b\n\n<!-- -->\n\n- [ ] c'));
    expect(xml.match(/<ac:task-id>(\d+)<\/ac:task-id>/g)).toEqual([
      '<ac:task-id>1</ac:task-id>',
      '<ac:task-id>2</ac:task-id>',
      '<ac:task-id>3</ac:task-id>',
    ]);
    expect(xml).toContain('<ac:task-status>complete</ac:task-status><ac:task-body>b</ac:task-body>');
  });

  it('escapes text and attributes', () => {
    const xml = docToStorage(markdownToDoc('a < b & [c](https://x.test/?a=1&b="2")'));
    expect(xml).toBe('<p>a &lt; b &amp; <a href="https://x.test/?a=1&amp;b=&quot;2&quot;">c</a></p>');
  });

  it('reads what the Confluence editor writes', () => {
    const doc = storageToDoc(
      '<p><b>bold</b> <span style="text-decoration: line-through;">gone</span></p><pre>raw</pre>' +
        '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>note</p></ac:rich-text-body></ac:structured-macro>',
    );
    expect(docToMarkdown(doc)).toBe('**bold** ~~gone~~\n\n```\nraw\n```\n\n> note\n');
  });
});

describe('Notion blocks', () => {
  it('splits a rich-text item over 2,000 characters, never truncating', () => {
    const long = 'x'.repeat(4500);
    const [paragraph] = docToNotion(markdownToDoc(long));
    const items = (paragraph!.paragraph as { rich_text: NotionRichText[] }).rich_text;
    expect(items.map((i) => i.text.content.length)).toEqual([2000, 2000, 500]);
    expect(items.map((i) => i.text.content).join('')).toBe(long);
  });

  it('splits code longer than 2,000 characters into several items of one block', () => {
    const code = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n');
    const [block] = docToNotion(markdownToDoc(`\`\`\`sh\n${code}\n\`\`\``));
    const body = block!.code as { rich_text: NotionRichText[]; language: string };
    expect(body.language).toBe('shell');
    expect(body.rich_text.every((i) => i.text.content.length <= 2000)).toBe(true);
    expect(notionToDoc([block!])).toEqual([{ type: 'code', language: 'shell', text: code }]);
  });

  it('continues a paragraph of more than 100 rich-text items in a second block', () => {
    const md = Array.from({ length: 120 }, (_, i) => (i % 2 ? `**b${i}**` : `t${i}`)).join(' ');
    const blocks = docToNotion(markdownToDoc(md));
    // 60 plain and 60 bold spans alternate.
    expect(blocks.map((b) => (b.paragraph as { rich_text: unknown[] }).rich_text.length)).toEqual([100, 20]);
    const text = blocks.flatMap((b) =>
      (b.paragraph as { rich_text: NotionRichText[] }).rich_text.map((i) => i.text.content),
    );
    expect(text.join('')).toBe(md.replace(/\*\*/g, ''));
  });

  it('maps heading levels past three and fence languages onto what Notion has', () => {
    const blocks = docToNotion(markdownToDoc('#### four\n\n```ts\nx\n```\n\n```weird\ny\n```'));
    expect(blocks.map((b) => b.type)).toEqual(['heading_3', 'code', 'code']);
    expect((blocks[1]!.code as { language: string }).language).toBe('typescript');
    expect((blocks[2]!.code as { language: string }).language).toBe('plain text');
  });

  it('keeps a relative link target as text (Notion accepts absolute URLs only)', () => {
    const [block] = docToNotion(markdownToDoc('[plan](docs/plan.md)'));
    const [item] = (block!.paragraph as { rich_text: NotionRichText[] }).rich_text;
    expect(item!.text).toEqual({ content: 'plan (docs/plan.md)', link: null });
  });
});

describe('GitBook markdown', () => {
  it('puts the title first and moves body headings under it', () => {
    const page = docToGitbook('Task AUTH-1', markdownToDoc('# Task AUTH-1\n\n# Summary\n\n###### Deep'));
    expect(page).toBe('# Task AUTH-1\n\n## Summary\n\n#### Deep\n');
    expect(gitbookToDoc(page).title).toBe('Task AUTH-1');
  });
});

function shiftHeadings(doc: DocBlock[], min: number, max: number): DocBlock[] {
  return doc.map((b) =>
    b.type === 'heading' ? { ...b, level: Math.min(max, Math.max(min, b.level)) as 1 } : b,
  );
}

function dropStart(doc: DocBlock[]): DocBlock[] {
  return doc.map((b) =>
    b.type === 'list'
      ? {
          type: 'list',
          ordered: b.ordered,
          items: b.items.map((i) => ({ ...i, children: dropStart(i.children) })),
        }
      : b,
  );
}
