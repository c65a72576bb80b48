// The part of the Atlassian Document Format (ADF) aidev reads and writes. Spec:
// https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/

export interface AdfMark {
  type: 'strong' | 'em' | 'code' | 'strike' | 'underline' | 'link' | (string & {});
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc extends AdfNode {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'doc' &&
    Array.isArray((value as { content?: unknown }).content)
  );
}
