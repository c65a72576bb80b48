// verify.packages: the monorepo packages that have checks of their own (see src/core/agent/check-scope.ts for which
// package a run's checks are scoped to). Kept apart from schema.ts, which stays the one place the config is assembled.
import { z } from 'zod';

/** `./packages/api/` → `packages/api`: the way git names the folder. */
export function normalPath(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/** A folder in the repository: relative, forward slashes, no `..` (normalised where it is used, see normalPath). */
const packagePath = z
  .string()
  .min(1)
  .refine((p) => !['', '.'].includes(normalPath(p)) && !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'must be a folder inside the repository, relative to its root (e.g. packages/api)',
  });

export const checkPackageSchema = z.strictObject({
  path: packagePath.describe('The package folder, relative to the repository root (e.g. packages/api)'),
  name: z
    .string()
    .min(1)
    .optional()
    .describe("The name tasks use for it (label, [name] title prefix); default: the folder's basename"),
  checks: z
    .array(z.string())
    .optional()
    .describe(
      'Its checks, run from the repository root (e.g. npm test --workspace packages/api); default: each of verify.checks run inside the folder (cd <path> && <check>)',
    ),
});

/** The name tasks use for a package: its `name`, else its folder's basename. */
export function packageName(pkg: { path: string; name?: string | undefined }): string {
  const path = normalPath(pkg.path);
  return pkg.name ?? path.slice(path.lastIndexOf('/') + 1);
}

/** Two packages with one folder or one name (names compare case-insensitively, as tasks name them) are an error. */
export function uniquePackages(
  verify: { packages: readonly { path: string; name?: string | undefined }[] },
  ctx: z.RefinementCtx,
): void {
  const paths = new Map<string, number>();
  const names = new Map<string, number>();
  verify.packages.forEach((pkg, i) => {
    const name = packageName(pkg);
    const path = normalPath(pkg.path);
    const samePath = paths.get(path);
    const sameName = names.get(name.toLowerCase());
    if (samePath !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['packages', i, 'path'],
        message: `packages[${samePath}] has the same path "${path}"`,
      });
    else if (sameName !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['packages', i, 'name'],
        message: `packages[${sameName}] has the same name "${name}": set name on one of them`,
      });
    if (samePath === undefined) paths.set(path, i);
    if (sameName === undefined) names.set(name.toLowerCase(), i);
  });
}

/** A package with its checks resolved: its own, else each of verify.checks run inside its folder. */
export interface CheckPackage {
  name: string;
  path: string;
  checks: string[];
}

/** The path as a shell word: left bare when it is plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function checkPackages(verify: {
  checks: readonly string[];
  packages: readonly { path: string; name?: string | undefined; checks?: readonly string[] | undefined }[];
}): CheckPackage[] {
  return verify.packages.map((pkg) => {
    const path = normalPath(pkg.path);
    return {
      name: packageName(pkg),
      path,
      checks: pkg.checks
        ? [...pkg.checks]
        : verify.checks.map((check) => `cd ${shellWord(path)} && ${check}`),
    };
  });
}
