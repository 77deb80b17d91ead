import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { SCOPE_SOURCES } from '../core/config.ts';
import type { Control } from '../core/model.ts';
import type { SubserviceCatalog } from '../core/system-description.ts';
import { issueLine } from '../core/validate.ts';
import { parseYaml } from '../core/yaml.ts';
import { CatalogError, CONTROLS_DIR } from './base.ts';

export const SUBSERVICES_FILE = join(CONTROLS_DIR, 'subservices.yaml');

const text = z.string().trim().min(1, 'must not be empty');
const complementary = z.strictObject({
  id: z.string().regex(/^(CSOC|CUEC)-[A-Z0-9-]+$/, 'must look like CSOC-AWS-1 or CUEC-1'),
  control: text,
  reliedOnBy: z.array(z.string()).min(1, 'name the internal controls that rely on it'),
});
const schema = z.strictObject({
  subservices: z.array(
    z.strictObject({
      source: z.enum(SCOPE_SOURCES),
      name: text,
      services: text,
      csocs: z.array(complementary),
    }),
  ),
  cuecs: z.array(complementary),
});

/**
 * The subservice organisations and complementary controls the catalog relies on; each `reliedOnBy` must name
 * a control of the catalog. Errors name the file and the field.
 */
export async function loadSubservices(
  controls: readonly Control[],
  path: string = SUBSERVICES_FILE,
): Promise<SubserviceCatalog> {
  let data: unknown;
  try {
    data = await parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CatalogError(`${path}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new CatalogError(parsed.error.issues.map((i) => `${path}: ${issueLine(i)}`).join('\n'));
  const ids = new Set(controls.map((c) => c.id));
  const unknown = [...parsed.data.subservices.flatMap((s) => s.csocs), ...parsed.data.cuecs].flatMap((c) =>
    c.reliedOnBy
      .filter((id) => !ids.has(id))
      .map((id) => `${path}: ${c.id}: reliedOnBy: unknown control "${id}"`),
  );
  if (unknown.length) throw new CatalogError(unknown.join('\n'));
  return parsed.data;
}
