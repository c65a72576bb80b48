// Local git for aidev: every git command of a run goes through these functions (simple-git underneath).
export { createGit, gitEnv, gitRun, gitTry, type Env, type GitOptions } from './client.js';
export {
  commonGitDir,
  currentBranch,
  fetchRemote,
  refExists,
  remoteUrl,
  repoRoot,
  resolveBaseBranch,
  revParse,
  type BaseBranch,
} from './repo.js';
export {
  addWorktree,
  listWorktrees,
  removeWorktree,
  settleRunWorktree,
  worktreePathFor,
  worktreesDir,
  type AddedWorktree,
  type WorktreeEntry,
} from './worktree.js';
export { branchNameFor, commitMessage, renderGitTemplate, sanitizeBranchName } from './names.js';
export {
  changedFiles,
  commitAll,
  findRunCommit,
  stageAll,
  stagedDiff,
  untrackedPaths,
  type WorktreeDiff,
} from './changes.js';
export {
  CREDENTIAL_ENV,
  credentialHelperArgs,
  pushBranch,
  type PushCredential,
  type PushInput,
} from './push.js';
