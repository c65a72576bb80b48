// The subset of Bitbucket's REST 2.0 shapes vcs.bitbucket reads and writes. Written here rather than imported from the
// `bitbucket` package, whose declarations pull in its untyped-for-NodeNext sources; the contract tests validate every
// body against that package's own types (test/fixtures/contracts/bitbucket.derived.json), so drift fails there.
export interface Link {
  href?: string;
  name?: string;
}

export interface Account {
  type: string;
  uuid?: string;
  account_id?: string;
  display_name?: string;
  username?: string;
  nickname?: string;
}

export interface Pullrequest {
  type: string;
  id?: number;
  title?: string;
  description?: string;
  state?: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  source?: { branch?: { name?: string } };
  destination?: { branch?: { name?: string } };
  close_source_branch?: boolean;
  reviewers?: Account[];
  draft?: boolean;
  links?: { html?: Link };
}

export interface PullrequestComment {
  type: string;
  content?: { raw?: string };
}

export interface Repository {
  type: string;
  scm?: 'git';
  is_private?: boolean;
  description?: string;
  full_name?: string;
  mainbranch?: { name?: string };
  links?: { html?: Link; clone?: Link[] };
}

export interface DefaultReviewerAndType {
  reviewer_type?: string;
  user?: Account;
}
