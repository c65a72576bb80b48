// Branch names and commit subjects from the git.* Handlebars templates, checked before any git command sees them.
import Handlebars from 'handlebars';
import { AidevError } from '../errors.js';

/** Renders a small Handlebars template; unknown variables are an error that names the config key. */
export function renderGitTemplate(
  template: string,
  vars: Record<string, unknown>,
  configKey: string,
): string {
  try {
    return Handlebars.compile(template, { noEscape: true, strict: true })(vars).trim();
  } catch (error) {
    throw new AidevError(
      'TEMPLATE_ERROR',
      `${configKey} "${template}" cannot be rendered: ${(error as Error).message.split('\n')[0]}`,
      {
        hint: `use variables such as {{task.id}}, {{task.title}}, {{task.type}} in ${configKey}`,
        cause: error,
      },
    );
  }
}

/** Turns free text (a task title in a template) into a valid branch name; the same input always gives the same name. */
export function sanitizeBranchName(raw: string): string {
  const name = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '-')
    // Characters git refuses in ref names (git check-ref-format), plus shell-unfriendly ones.
    .replace(/[~^:?*[\\\]\x00-\x1f\x7f'"`$&|;<>(){}!#,]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/@\{/g, '-')
    .replace(/\/{2,}/g, '/')
    .split('/')
    .map((part) =>
      part
        .replace(/^[.-]+|[.-]+$/g, '')
        .replace(/\.lock$/i, '-lock')
        .replace(/-{2,}/g, '-'),
    )
    .filter(Boolean)
    .join('/');
  return name.slice(0, 200).replace(/[/.-]+$/, '');
}

export function branchNameFor(template: string, vars: Record<string, unknown>): string {
  const name = sanitizeBranchName(renderGitTemplate(template, vars, 'git.branch_template'));
  if (!name || name === 'HEAD') {
    throw new AidevError('TEMPLATE_ERROR', `git.branch_template "${template}" gives an empty branch name`, {
      hint: 'use a template such as feature/{{task.id}}',
    });
  }
  return name;
}

export function commitMessage(subject: string, body: string | undefined, runId: string): string {
  const parts = [subject.split('\n')[0]!.trim() || 'aidev changes'];
  if (body?.trim()) parts.push(body.trim());
  parts.push(`Aidev-Run: ${runId}`);
  return parts.join('\n\n') + '\n';
}
