// `aidev config migrate [--write]`: rewrites a specification-style config into the native form. `${NAME}` references
// stay as they are, config_file includes are inlined, and comments are kept where the key survives.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Document, isMap, isPair, isScalar, parseDocument } from 'yaml';
import { writeFileAtomic } from '../../providers/shared/atomic-file.js';
import { translateSpecConfig } from '../core/config/compat.js';
import {
  configInvalid,
  findRepoRoot,
  isPlainObject,
  readConfigFile,
  searchProjectConfig,
} from '../core/config/load.js';
import { AidevError } from '../core/errors.js';
import type { GlobalOptions } from '../core/session.js';

export interface MigrateResult {
  file: string;
  dialect: 'native' | 'specification';
  notes: readonly string[];
  inlined: string[];
  yaml: string;
  written: string | null;
  backup: string | null;
}

export async function runConfigMigrate(
  options: GlobalOptions & { write?: boolean; output?: string },
): Promise<MigrateResult> {
  const file = options.config
    ? resolve(options.cwd, options.config)
    : (await searchProjectConfig(options.cwd, findRepoRoot(options.cwd) ?? options.cwd))?.filepath;
  if (!file)
    throw new AidevError('CONFIG_NOT_FOUND', `no config file found from ${options.cwd}`, {
      hint: 'pass --config <file>',
    });
  if (file.endsWith('package.json'))
    throw new AidevError('USAGE', 'config migrate rewrites YAML files, not the package.json key', {
      hint: 'move the config to .aidevrc.yaml first',
    });
  const source = readConfigFile(file);
  const translated = translateSpecConfig(
    isPlainObject(source.value) ? source.value : {},
    source,
    findRepoRoot(dirname(file)) ?? dirname(file),
  );
  if (translated.issues.length) throw configInvalid(file, translated.issues);

  const original = parseDocument(readFileSync(file, 'utf8'));
  const doc = new Document(translated.value);
  doc.commentBefore = original.commentBefore ?? null;
  // Keep each top-level comment whose key survives in the native form.
  if (isMap(original.contents) && isMap(doc.contents)) {
    for (const item of original.contents.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key: unknown = item.key.value;
      const target = doc.contents.items.find((i) => isPair(i) && isScalar(i.key) && i.key.value === key);
      if (target && isPair(target) && isScalar(target.key))
        target.key.commentBefore = item.key.commentBefore ?? null;
    }
  }
  const yaml = doc.toString({ lineWidth: 0 });
  let written: string | null = null;
  let backup: string | null = null;
  if (options.write) {
    written = options.output ? resolve(options.cwd, options.output) : file;
    if (written === file) {
      backup = `${file}.bak`;
      writeFileAtomic(backup, readFileSync(file, 'utf8'));
    }
    writeFileAtomic(written, yaml);
  }
  return {
    file,
    dialect: translated.spec ? 'specification' : 'native',
    notes: translated.notes,
    inlined: translated.includes,
    yaml,
    written,
    backup,
  };
}
