// The Notion request and response shapes the docs provider's contract fake checks, named from the pinned
// @notionhq/client's own types; scripts/contracts/notion-schemas.ts turns them into JSON Schema.
import type {
  AppendBlockChildrenParameters,
  AppendBlockChildrenResponse,
  CreatePageParameters,
  CreatePageResponse,
  DeleteBlockResponse,
  GetDatabaseResponse,
  GetPageResponse,
  GetSelfResponse,
  ListBlockChildrenResponse,
  QueryDataSourceParameters,
  QueryDataSourceResponse,
  UpdateBlockParameters,
  UpdateBlockResponse,
  UpdatePageParameters,
  UpdatePageResponse,
} from '@notionhq/client';

export type AppendBlockChildrenBody = Omit<AppendBlockChildrenParameters, 'block_id'>;
export type CreatePageBody = CreatePageParameters;
export type UpdatePageBody = Omit<UpdatePageParameters, 'page_id'>;
// UpdateBlockParameters is a union (one member per block type), which Omit would merge into one object: the
// provider only ever updates a paragraph (its marker line), so the contract is that member.
export type UpdateBlockBody = Omit<Extract<UpdateBlockParameters, { paragraph: unknown }>, 'block_id'>;
export type QueryDataSourceBody = Omit<QueryDataSourceParameters, 'data_source_id' | 'filter_properties'>;
export type {
  AppendBlockChildrenResponse,
  CreatePageResponse,
  DeleteBlockResponse,
  GetDatabaseResponse,
  GetPageResponse,
  GetSelfResponse,
  ListBlockChildrenResponse,
  QueryDataSourceResponse,
  UpdateBlockResponse,
  UpdatePageResponse,
};
