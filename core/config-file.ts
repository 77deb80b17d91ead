import { readFile } from 'node:fs/promises';
import { COMPILED_DEFAULT_CONFIG } from './compiled-config.ts';
import type { ProoflineConfig } from './config.ts';
import { ConfigError, parseWith } from './validate.ts';
import { parseYaml } from './yaml.ts';

export const DEFAULT_CONFIG_FILE = 'proofline.config.yaml';

/**
 * Reads the config file; a missing default file is the default config, a missing named file is an error.
 * The schema (core/config.ts) loads only to read a file or where the defaults are not compiled.
 */
export async function loadConfig(file?: string): Promise<ProoflineConfig> {
  let text: string;
  try {
    text = await readFile(file ?? DEFAULT_CONFIG_FILE, 'utf8');
  } catch (error) {
    if (!file && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return COMPILED_DEFAULT_CONFIG ?? (await import('./config.ts')).configSchema.parse({});
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = (await parseYaml(text)) ?? {};
  } catch (error) {
    throw new ConfigError(`${file ?? DEFAULT_CONFIG_FILE}: not valid YAML: ${(error as Error).message}`);
  }
  return parseWith((await import('./config.ts')).configSchema, data, file ?? DEFAULT_CONFIG_FILE);
}
