// What the agent knows about its worktree: the file list, the repo map, search, and the one-time setup.
export {
  DEFAULT_MAX_FILE_BYTES,
  isBinaryPath,
  kindOf,
  listFiles,
  withSizes,
  looksBinary,
  type FileEntry,
  type FileKind,
} from './files.js';
export { buildRepoMap, keywords, type RepoMap, type RepoMapInput } from './repo-map.js';
export {
  countMatches,
  ripgrepPath,
  search,
  type SearchHit,
  type SearchInput,
  type SearchResult,
} from './search.js';
export { runSetup, tail, type SetupInput, type SetupResult } from './setup.js';
export { symbolsOf } from './symbols.js';
