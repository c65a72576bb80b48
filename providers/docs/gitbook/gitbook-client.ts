// The slice of @gitbook/api's client that the API mode calls. The package's index.d.ts imports './client' without an
// extension, which TypeScript's NodeNext resolution cannot follow (and its exports map hides dist/client.d.ts), so its
// methods come through untyped; these signatures restate the ones in that file for the calls made here.
interface Response<T> {
  data: T;
}

export interface GitbookPageRef {
  id: string;
  title: string;
  slug?: string;
  type?: string;
  urls?: { app?: string };
  pages?: GitbookPageRef[];
}

export interface GitbookChangeRequest {
  id: string;
  number: number;
  subject?: string;
  urls: { app: string };
}

export type GitbookChange =
  | { operation: 'insert_page'; title: string; slug: string; document: { markdown: string }; into?: string }
  | { operation: 'update_page'; page: string; title: string; document: { markdown: string } };

export interface GitbookClient {
  user: {
    getAuthenticatedUser(): Promise<Response<{ id: string; displayName: string; email?: string }>>;
  };
  spaces: {
    listPages(spaceId: string): Promise<Response<{ pages: GitbookPageRef[] }>>;
    listChangeRequestsForSpace(
      spaceId: string,
      query: { status?: 'open'; limit?: number },
    ): Promise<Response<{ items: GitbookChangeRequest[] }>>;
    createChangeRequest(spaceId: string, data: { subject: string }): Promise<Response<GitbookChangeRequest>>;
    listPagesInChangeRequest(
      spaceId: string,
      changeRequestId: string,
    ): Promise<Response<{ pages: GitbookPageRef[] }>>;
    updateChangeRequestContent(
      spaceId: string,
      changeRequestId: string,
      data: { changes: GitbookChange[] },
      query: { compat: false },
    ): Promise<Response<{ changes: { object: string; page?: { id: string } }[] }>>;
    mergeChangeRequest(
      spaceId: string,
      changeRequestId: string,
    ): Promise<Response<{ revision: string; result: 'merge' | 'conflicts' }>>;
  };
}
