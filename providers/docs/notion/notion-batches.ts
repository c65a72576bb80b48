// Appends a block tree within Notion's request limits: at most 100 blocks per children array, at most 1,000 blocks
// per request, and children nested one level inside a request (a table's first 100 rows ride with it, as Notion
// requires). Deeper children and overflow go in follow-up appends under the block ids the API returned.
import { NOTION_LIMITS } from '../shared/notion-limits.js';
import type { NotionBlock } from '../shared/notion-out.js';

export type AppendFn = (parentId: string, children: NotionBlock[]) => Promise<string[]>;

interface Split {
  /** The block as sent, with what fits of its children inline. */
  sent: NotionBlock;
  /** Children still to append under the new block's id. */
  later: NotionBlock[];
}

function childrenOf(block: NotionBlock): NotionBlock[] {
  return (block[block.type] as { children?: NotionBlock[] }).children ?? [];
}

function withChildren(block: NotionBlock, children: NotionBlock[]): NotionBlock {
  const { children: _drop, ...body } = block[block.type] as Record<string, unknown>;
  return { ...block, [block.type]: children.length ? { ...body, children } : body };
}

function split(block: NotionBlock): Split {
  const children = childrenOf(block);
  if (block.type === 'table') {
    const rows = children.slice(0, NOTION_LIMITS.childrenPerRequest);
    return { sent: withChildren(block, rows), later: children.slice(rows.length) };
  }
  // One level inline when it is small and flat; anything else follows under the new block's id.
  const flat =
    children.length <= NOTION_LIMITS.childrenPerRequest && children.every((c) => childrenOf(c).length === 0);
  return flat ? { sent: block, later: [] } : { sent: withChildren(block, []), later: children };
}

export async function appendTree(parentId: string, blocks: NotionBlock[], append: AppendFn): Promise<number> {
  let requests = 0;
  let i = 0;
  while (i < blocks.length) {
    const batch: Split[] = [];
    let size = 0;
    while (i < blocks.length && batch.length < NOTION_LIMITS.childrenPerRequest) {
      const next = split(blocks[i]!);
      const weight = 1 + childrenOf(next.sent).length;
      if (batch.length && size + weight > NOTION_LIMITS.blocksPerRequest) break;
      batch.push(next);
      size += weight;
      i++;
    }
    const ids = await append(
      parentId,
      batch.map((b) => b.sent),
    );
    requests++;
    for (const [k, b] of batch.entries())
      if (b.later.length) requests += await appendTree(ids[k]!, b.later, append);
  }
  return requests;
}
