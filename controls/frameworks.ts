import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnnexATheme, Framework, FrameworkId, Frameworks, Soc2Category } from '../core/requirements.ts';
import { issueLine } from '../core/validate.ts';
import { parseYaml } from '../core/yaml.ts';
import { CatalogError, CONTROLS_DIR } from './base.ts';
import { COMPILED } from './compiled.ts';
import type { RawRequirement } from './schemas.ts';

/** The framework catalogs: one YAML file per framework, named after its id. */
export const FRAMEWORKS_DIR = join(CONTROLS_DIR, 'frameworks');

const SOC2_CATEGORY: Record<string, Soc2Category> = {
  CC: 'security',
  A: 'availability',
  C: 'confidentiality',
  PI: 'processing-integrity',
  P: 'privacy',
};
const ANNEX_THEME: Record<string, AnnexATheme> = {
  '5': 'organizational',
  '6': 'people',
  '7': 'physical',
  '8': 'technological',
};

/** Rules beyond the shape: ids look like the framework's, and category/theme agree with the id. */
function requirementProblems(framework: FrameworkId, r: RawRequirement): [field: string, message: string][] {
  const problems: [string, string][] = [];
  if (framework === 'soc2') {
    const m = /^(CC|PI|A|C|P)\d\.\d+$/.exec(r.id);
    if (!m) problems.push(['id', 'must look like CC6.1, A1.2, C1.1, PI1.3 or P4.2']);
    if (r.kind !== 'criterion') problems.push(['kind', 'SOC 2 requirements are criteria']);
    if (r.theme) problems.push(['theme', 'only ISO 27001 Annex A controls have a theme']);
    if (!r.category) problems.push(['category', 'a SOC 2 criterion needs its category']);
    else if (m && SOC2_CATEGORY[m[1]!] !== r.category)
      problems.push(['category', `${r.id} belongs to category ${SOC2_CATEGORY[m[1]!]}, not ${r.category}`]);
  } else {
    if (r.category) problems.push(['category', 'only SOC 2 criteria have a category']);
    if (r.kind === 'clause') {
      if (!/^(?:[4-9]|10)(?:\.\d+){1,2}$/.test(r.id))
        problems.push(['id', 'a clause id looks like 4.1 or 6.1.2 (clauses 4 to 10)']);
      if (r.theme) problems.push(['theme', 'clauses have no theme']);
    } else if (r.kind === 'control') {
      const m = /^A\.([5-8])\.\d+$/.exec(r.id);
      if (!m) problems.push(['id', 'an Annex A control id looks like A.5.1 … A.8.34']);
      if (!r.theme) problems.push(['theme', 'an Annex A control needs its theme']);
      else if (m && ANNEX_THEME[m[1]!] !== r.theme)
        problems.push(['theme', `${r.id} belongs to theme ${ANNEX_THEME[m[1]!]}, not ${r.theme}`]);
    } else problems.push(['kind', 'ISO 27001 requirements are clauses or controls']);
  }
  return problems;
}

/** Loads and validates one framework file; errors name the file, the requirement and the field. */
export async function loadFramework(file: string, expected?: FrameworkId): Promise<Framework> {
  let data: unknown;
  try {
    data = await parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`${file}: ${(error as Error).message}`);
  }
  const { frameworkSchema, requirementSchema } = await import('./schemas.ts');
  const top = frameworkSchema.safeParse(data);
  if (!top.success) {
    throw new CatalogError(`${file}: ${issueLine(top.error.issues[0]!)}`);
  }
  if (expected && top.data.framework !== expected)
    throw new CatalogError(`${file}: framework: expected "${expected}", found "${top.data.framework}"`);
  const errors: string[] = [];
  const seen = new Set<string>();
  const requirements: RawRequirement[] = [];
  top.data.requirements.forEach((raw, index) => {
    const name = (raw as { id?: unknown })?.id ?? `#${index + 1}`;
    const parsed = requirementSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push(`${file}: requirement ${String(name)}: ${issueLine(issue)}`);
      return;
    }
    const r = parsed.data;
    for (const [field, message] of requirementProblems(top.data.framework, r))
      errors.push(`${file}: requirement ${r.id}: ${field}: ${message}`);
    if (seen.has(r.id)) errors.push(`${file}: requirement ${r.id}: id: duplicate requirement id`);
    seen.add(r.id);
    requirements.push(r);
  });
  if (errors.length > 0) throw new CatalogError(errors.join('\n'));
  return { id: top.data.framework, name: top.data.name, version: top.data.version, requirements };
}

const cache = new Map<string, Promise<Frameworks>>();

/** Both frameworks from a folder holding soc2.yaml and iso27001.yaml (default: the built-in catalogs). */
export function loadFrameworks(dir: string = FRAMEWORKS_DIR): Promise<Frameworks> {
  if (COMPILED && dir === FRAMEWORKS_DIR) return Promise.resolve(COMPILED.frameworks);
  let loaded = cache.get(dir);
  if (!loaded) {
    loaded = Promise.all([
      loadFramework(join(dir, 'soc2.yaml'), 'soc2'),
      loadFramework(join(dir, 'iso27001.yaml'), 'iso27001'),
    ]).then(([soc2, iso27001]) => ({ soc2, iso27001 }));
    cache.set(dir, loaded);
    loaded.catch(() => cache.delete(dir));
  }
  return loaded;
}
