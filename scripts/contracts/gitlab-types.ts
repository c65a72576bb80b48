// The GitLab wire types aidev's contract fake validates against, named from @gitbeaker/core's own types (the SDK of
// vcs.gitlab). scripts/contracts/derive-openapi.ts turns them into JSON Schemas; request options are decamelized there,
// as gitbeaker's requester does before sending.
import type * as G from '@gitbeaker/core';

export type CurrentUser = G.ExpandedUserSchema;
export type UserListItem = G.SimpleUserSchema;
export type UserListQuery = Pick<G.AllUsersOptions, 'username' | 'active' | 'search'>;
export type Project = G.ProjectSchema;
export type CreateProject = G.CreateProjectOptions & { name?: string; path?: string };
export type Namespace = G.NamespaceSchema;
export type MergeRequest = G.ExpandedMergeRequestSchema;
export type MergeRequestListItem = G.MergeRequestSchemaWithBasicLabels;
export type MergeRequestListQuery = G.AllMergeRequestsOptions & { page?: number; perPage?: number };
export type CreateMergeRequest = G.CreateMergeRequestOptions;
export type EditMergeRequest = G.EditMergeRequestOptions;
export type MergeRequestNote = G.MergeRequestNoteSchema;

/**
 * GitLab's error body, which gitbeaker does not type (it reads `error` or `message` as text): `message` is a string
 * ("404 Project Not Found"), a list ("Another open merge request already exists…"), or validation errors by field;
 * OAuth-style refusals carry `error`, `error_description` and the missing `scope`.
 */
export interface ErrorBody {
  message?: string | string[] | Record<string, string[]>;
  error?: string;
  error_description?: string;
  scope?: string;
}
