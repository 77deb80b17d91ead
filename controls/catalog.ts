import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Control, MANUAL_EVIDENCE, type RequirementLink } from '../core/model.ts';
import type { Frameworks } from '../core/requirements.ts';
import { parseYaml } from '../core/yaml.ts';
import { CatalogError, CONTROLS_DIR } from './base.ts';
import { COMPILED } from './compiled.ts';
import { loadFrameworks } from './frameworks.ts';

export { CatalogError, CONTROLS_DIR, PACKAGE_ROOT } from './base.ts';
/** Internal controls: every *.yaml file in this folder (one per domain), loaded together. */
export const DEFAULT_CONTROLS_PATH = join(CONTROLS_DIR, 'internal');

/** A schema issue's field, naming a link by its requirement id: `soc2: CC6.1: why` rather than `soc2.0.why`. */
function issuePath(raw: unknown, path: readonly PropertyKey[]): string {
  const [field, index, ...rest] = path;
  if ((field === 'soc2' || field === 'iso27001') && typeof index === 'number') {
    const id = (raw as Record<string, { id?: unknown }[] | undefined>)[field]?.[index]?.id;
    const link = typeof id === 'string' ? id : `#${index + 1}`;
    return [field, link, ...rest].map(String).join(': ');
  }
  return path.map(String).join('.') || '(root)';
}

async function loadControlFile(
  file: string,
  knownChecks: CheckIds,
  requirementIds: { readonly soc2: ReadonlySet<string>; readonly iso27001: ReadonlySet<string> },
  seen: Set<string>,
  errors: string[],
): Promise<Control[]> {
  let data: unknown;
  try {
    data = await parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`${file}: ${(error as Error).message}`);
  }
  const { controlFileSchema, controlSchema } = await import('./schemas.ts');
  const top = controlFileSchema.safeParse(data);
  if (!top.success)
    throw new CatalogError(`${file}: expected a top-level "controls" list (${top.error.issues[0]?.message})`);
  const controls: Control[] = [];
  top.data.controls.forEach((raw, index) => {
    const name = (raw as { id?: unknown })?.id ?? `#${index + 1}`;
    const parsed = controlSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push(`${file}: control ${name}: ${issuePath(raw, issue.path)}: ${issue.message}`);
      return;
    }
    const spec = parsed.data;
    const links = (['soc2', 'iso27001'] as const).flatMap((framework) =>
      spec[framework].map(
        (link): RequirementLink => ({ framework, requirement: link.id, by: link.by, rationale: link.why }),
      ),
    );
    const c: Control = {
      ...spec,
      soc2: links.filter((l) => l.framework === 'soc2').map((l) => l.requirement),
      iso27001: links.filter((l) => l.framework === 'iso27001').map((l) => l.requirement),
      links,
    };
    for (const link of links)
      for (const by of link.by)
        if (by === MANUAL_EVIDENCE ? !c.manualEvidence : !c.checks.includes(by))
          errors.push(
            `${file}: control ${c.id}: ${link.framework}: ${link.requirement} is evidenced by "${by}", ` +
              (by === MANUAL_EVIDENCE
                ? 'but the control has no manualEvidence'
                : 'which is not one of its checks'),
          );
    for (const check of c.checks)
      if (!links.some((link) => link.by.includes(check)))
        errors.push(
          `${file}: control ${c.id}: checks: "${check}" evidences none of its soc2/iso27001 links (name it in a link's "by", or drop it)`,
        );
    if (seen.has(c.id)) errors.push(`${file}: control ${c.id}: id: duplicate control id`);
    seen.add(c.id);
    for (const check of c.checks)
      if (!knownChecks.has(check))
        errors.push(`${file}: control ${c.id}: checks: unknown check id "${check}"`);
    for (const [field, framework] of [
      ['soc2', 'SOC 2 criterion'],
      ['iso27001', 'ISO 27001 requirement'],
    ] as const) {
      for (const id of c[field])
        if (!requirementIds[field].has(id))
          errors.push(`${file}: control ${c.id}: ${field}: unknown ${framework} "${id}"`);
      for (const id of new Set(c[field].filter((id, i) => c[field].indexOf(id) !== i)))
        errors.push(`${file}: control ${c.id}: ${field}: "${id}" is listed twice`);
    }
    if (c.soc2.length === 0 && c.iso27001.length === 0)
      errors.push(`${file}: control ${c.id}: soc2: a control must map to at least one requirement`);
    if (c.type !== 'manual' && c.checks.length === 0)
      errors.push(`${file}: control ${c.id}: checks: an ${c.type} control needs at least one check`);
    if (c.type !== 'automated' && !c.manualEvidence)
      errors.push(
        `${file}: control ${c.id}: manualEvidence: a ${c.type} control needs a manual-evidence spec`,
      );
    controls.push(c);
  });
  return controls;
}

/** The check ids a catalog may name (a set, or any test of membership). */
export type CheckIds = { has(id: string): boolean };

/**
 * Loads and validates the internal controls from a folder of YAML files (or one file). Every error names the
 * file, the control and the field; all errors are reported at once. `knownChecks` are the check ids of the
 * registered collectors: a control naming another is an error, as is a SOC 2 or ISO 27001 id that is not in
 * the framework catalogs (default: the built-in ones).
 */
export async function loadControls(
  path: string,
  knownChecks: CheckIds,
  frameworks?: Frameworks,
): Promise<Control[]> {
  if (COMPILED && path === DEFAULT_CONTROLS_PATH && !frameworks)
    return compiledControls(COMPILED.controls, knownChecks);
  const { soc2, iso27001 } = frameworks ?? (await loadFrameworks());
  const requirementIds = {
    soc2: new Set(soc2.requirements.map((r) => r.id)),
    iso27001: new Set(iso27001.requirements.map((r) => r.id)),
  };
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (error) {
    throw new CatalogError(`${path}: ${(error as Error).message}`);
  }
  const errors: string[] = [];
  const seen = new Set<string>();
  const controls: Control[] = [];
  for (const file of files)
    controls.push(...(await loadControlFile(file, knownChecks, requirementIds, seen, errors)));
  if (errors.length > 0) throw new CatalogError(errors.join('\n'));
  return controls;
}

/** The built-in controls compiled at build time: validated then, except against the checks this caller knows. */
function compiledControls(controls: Control[], knownChecks: CheckIds): Control[] {
  const errors = controls.flatMap((c) =>
    c.checks
      .filter((check) => !knownChecks.has(check))
      .map((check) => `control ${c.id}: checks: unknown check id "${check}"`),
  );
  if (errors.length > 0) throw new CatalogError(errors.join('\n'));
  return controls;
}
