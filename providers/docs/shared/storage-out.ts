// The neutral document as Confluence storage format (XHTML): code blocks become the code macro with its language,
// task-list items become <ac:task> entries, everything else the plain XHTML Confluence's editor itself writes.
import type { Align, DocBlock, Inline, ListItem, Span } from './doc-model.js';
import { escapeXml } from './xml-lite.js';

export function docToStorage(doc: DocBlock[]): string {
  const state = { taskId: 0 };
  return doc.map((b) => block(b, state)).join('');
}

interface State {
  taskId: number;
}

function block(b: DocBlock, state: State): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level}>${inline(b.content)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.content)}</p>`;
    case 'code':
      return codeMacro(b.text, b.language);
    case 'quote':
      return `<blockquote>${b.children.map((c) => block(c, state)).join('')}</blockquote>`;
    case 'divider':
      return '<hr />';
    case 'table':
      return table(b.header, b.rows, b.align);
    case 'list':
      return list(b.ordered, b.start, b.items, state);
  }
}

/** A list whose items are tasks becomes <ac:task-list>; a mixed list is split into runs of each kind. */
function list(ordered: boolean, start: number | undefined, items: ListItem[], state: State): string {
  const runs: ListItem[][] = [];
  for (const item of items) {
    const last = runs[runs.length - 1];
    if (last && (last[0]!.checked === undefined) === (item.checked === undefined)) last.push(item);
    else runs.push([item]);
  }
  return runs
    .map((run) => {
      if (run[0]!.checked !== undefined) {
        const tasks = run.map((item) => {
          state.taskId += 1;
          const status = item.checked ? 'complete' : 'incomplete';
          const body = inline(item.content) + item.children.map((c) => block(c, state)).join('');
          return `<ac:task><ac:task-id>${state.taskId}</ac:task-id><ac:task-status>${status}</ac:task-status><ac:task-body>${body}</ac:task-body></ac:task>`;
        });
        return `<ac:task-list>${tasks.join('')}</ac:task-list>`;
      }
      const tag = ordered ? 'ol' : 'ul';
      const open = ordered && start !== undefined && start !== 1 ? `<ol start="${start}">` : `<${tag}>`;
      const lis = run.map(
        (item) =>
          `<li><p>${inline(item.content)}</p>${item.children.map((c) => block(c, state)).join('')}</li>`,
      );
      return `${open}${lis.join('')}</${tag}>`;
    })
    .join('');
}

function codeMacro(text: string, language: string | null): string {
  // "]]>" cannot sit inside CDATA: end the section there and open a new one.
  const body = `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
  const lang = language ? `<ac:parameter ac:name="language">${escapeXml(language)}</ac:parameter>` : '';
  return `<ac:structured-macro ac:name="code" ac:schema-version="1">${lang}<ac:plain-text-body>${body}</ac:plain-text-body></ac:structured-macro>`;
}

function table(header: Inline[], rows: Inline[][], align: Align[]): string {
  const cell = (tag: 'th' | 'td', content: Inline | undefined, i: number): string => {
    const a = align[i];
    const style = a ? ` style="text-align: ${a};"` : '';
    return `<${tag}${style}><p>${inline(content ?? [])}</p></${tag}>`;
  };
  const head = `<tr>${header.map((c, i) => cell('th', c, i)).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${header.map((_, i) => cell('td', r[i], i)).join('')}</tr>`);
  return `<table><tbody>${head}${body.join('')}</tbody></table>`;
}

export function inline(spans: Inline): string {
  let out = '';
  for (let i = 0; i < spans.length;) {
    const href = spans[i]!.href;
    let j = i;
    while (j < spans.length && spans[j]!.href === href) j++;
    const text = spans.slice(i, j).map(spanXml).join('');
    out += href === undefined ? text : `<a href="${escapeXml(href)}">${text}</a>`;
    i = j;
  }
  return out;
}

function spanXml(s: Span): string {
  let text = s.text
    .split('\n')
    .map((part) => escapeXml(part))
    .join('<br />');
  if (s.marks.code) text = `<code>${text}</code>`;
  if (s.marks.strike) text = `<s>${text}</s>`;
  if (s.marks.italic) text = `<em>${text}</em>`;
  if (s.marks.bold) text = `<strong>${text}</strong>`;
  return text;
}
