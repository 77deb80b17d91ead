import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type ZodType, z } from 'zod';

export const DEFAULT_CONFIG_FILE = 'proofline.config.yaml';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The top of `proofline.config.yaml`. `scope` is the scope statement: one section per source, each validated
 * by that source's connector. Other sections belong to the features that read them.
 */
const configSchema = z.looseObject({
  scope: z.record(z.string(), z.unknown()).default({}),
});
export type ProoflineConfig = z.infer<typeof configSchema>;

/** Reads the config file; a missing default file is an empty config, a missing named file is an error. */
export async function loadConfig(file?: string): Promise<ProoflineConfig> {
  let text: string;
  try {
    text = await readFile(file ?? DEFAULT_CONFIG_FILE, 'utf8');
  } catch (error) {
    if (!file && (error as NodeJS.ErrnoException).code === 'ENOENT') return { scope: {} };
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${file ?? DEFAULT_CONFIG_FILE}: not valid YAML: ${(error as Error).message}`);
  }
  return parseWith(configSchema, data, file ?? DEFAULT_CONFIG_FILE);
}

/** Validates `data` with `schema`; the error names the file, the field path and what is wrong. */
export function parseWith<T>(
  schema: ZodType<T>,
  data: unknown,
  where: string,
  prefix: (string | number)[] = [],
): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${[...prefix, ...i.path].join('.') || '(root)'}: ${i.message}`,
  );
  throw new ConfigError(`${where}: ${problems.join('; ')}`);
}
