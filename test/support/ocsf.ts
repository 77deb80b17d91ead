import { readFileSync } from 'node:fs';

/**
 * A checker of OCSF events against the schema's source (test/fixtures/ocsf/schema-1.1.0): it resolves a class
 * the way the schema server does and lists what is wrong with an event. An empty list means valid.
 */
const ROOT = new URL('../fixtures/ocsf/schema-1.1.0/', import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as Definition;

interface AttributeSpec {
  readonly requirement?: 'required' | 'recommended' | 'optional';
  readonly enum?: Record<string, unknown>;
  readonly type?: string;
  readonly is_array?: boolean;
  /** Set on attributes that a profile adds: they apply only when the event names the profile. */
  readonly profile?: string;
}
interface Definition {
  readonly name?: string;
  readonly extends?: string;
  readonly attributes: Record<string, AttributeSpec> & { $include?: string[] };
  readonly constraints?: { readonly at_least_one?: readonly string[] };
  readonly meta?: string;
}

const dictionary = json('dictionary.json') as unknown as {
  attributes: Record<string, AttributeSpec>;
  types: { attributes: Record<string, { type?: string }> };
};

/** A definition's attributes with those it extends and includes, the most specific spec winning field by field. */
function resolve(def: Definition, load: (name: string) => Definition): Map<string, AttributeSpec> {
  const parent = def.extends && def.extends !== 'object' ? resolve(load(def.extends), load) : new Map();
  const merged = new Map<string, AttributeSpec>(parent);
  const add = (name: string, spec: AttributeSpec) => {
    const before = merged.get(name);
    const values = before?.enum && spec.enum ? { ...before.enum, ...spec.enum } : (spec.enum ?? before?.enum);
    merged.set(name, { ...before, ...spec, ...(values ? { enum: values } : {}) });
  };
  for (const path of def.attributes.$include ?? []) {
    const included = json(path);
    for (const [name, spec] of Object.entries(included.attributes) as [string, AttributeSpec][])
      add(
        name,
        included.meta === 'profile' ? { ...spec, profile: (included as { name: string }).name } : spec,
      );
  }
  for (const [name, spec] of Object.entries(def.attributes) as [string, AttributeSpec][])
    if (name !== '$include') add(name, spec);
  return merged;
}

const eventDefinition = (name: string): Definition =>
  name === 'base_event' ? json('events/base_event.json') : json(`events/findings/${name}.json`);
const objectDefinition = (name: string): Definition => json(`objects/${name}.json`);

/** The base type of a dictionary type (timestamp_t → long_t), or the object name. */
function baseType(type: string): string {
  let t = type;
  for (;;) {
    const next = dictionary.types.attributes[t]?.type;
    if (!next) return t;
    t = next;
  }
}

function checkValue(value: unknown, type: string, path: string, profiles: ReadonlySet<string>): string[] {
  const base = baseType(type);
  switch (base) {
    case 'string_t':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'integer_t':
    case 'long_t':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'float_t':
      return typeof value === 'number' ? [] : [`${path}: not a number`];
    case 'boolean_t':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'json_t':
      return [];
    case 'object':
      return value && typeof value === 'object' && !Array.isArray(value) ? [] : [`${path}: not an object`];
    default:
      return checkObject(value, objectDefinition(base), path, profiles);
  }
}

function checkAttributes(
  value: Record<string, unknown>,
  attributes: Map<string, AttributeSpec>,
  path: string,
  profiles: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const [name, spec] of attributes) {
    const applies = !spec.profile || profiles.has(spec.profile);
    if (applies && spec.requirement === 'required' && value[name] === undefined)
      problems.push(`${path}${name}: required, missing`);
  }
  for (const [name, v] of Object.entries(value)) {
    const spec = attributes.get(name);
    const dict = dictionary.attributes[name];
    if (!spec || !dict || (spec.profile && !profiles.has(spec.profile))) {
      problems.push(`${path}${name}: not an attribute of this class or object`);
      continue;
    }
    const type = spec.type ?? dict.type ?? 'string_t';
    const items = dict.is_array ? (Array.isArray(v) ? v : null) : [v];
    if (!items) {
      problems.push(`${path}${name}: not an array`);
      continue;
    }
    for (const [i, item] of items.entries())
      problems.push(...checkValue(item, type, `${path}${name}${dict.is_array ? `[${i}]` : ''}`, profiles));
    const values = spec.enum ?? dict.enum;
    if (values && name.endsWith('_id') && !Object.hasOwn(values, String(v)))
      problems.push(`${path}${name}: ${String(v)} is not one of ${Object.keys(values).join(', ')}`);
  }
  return problems;
}

function checkObject(value: unknown, def: Definition, path: string, profiles: ReadonlySet<string>): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
  const record = value as Record<string, unknown>;
  const problems = checkAttributes(record, resolve(def, objectDefinition), `${path}.`, profiles);
  let constraints: Definition | undefined = def;
  while (constraints && !constraints.constraints && constraints.extends && constraints.extends !== 'object')
    constraints = objectDefinition(constraints.extends);
  const oneOf = constraints?.constraints?.at_least_one;
  if (oneOf && !oneOf.some((name) => record[name] !== undefined))
    problems.push(`${path}: needs at least one of ${oneOf.join(', ')}`);
  return problems;
}

/** What is wrong with `event` as an instance of the finding class `className` (e.g. compliance_finding). */
export function ocsfProblems(event: Record<string, unknown>, className: string): string[] {
  const metadata = event.metadata as { profiles?: string[] } | undefined;
  const profiles = new Set(metadata?.profiles ?? []);
  return checkAttributes(event, resolve(eventDefinition(className), eventDefinition), '', profiles);
}

/** The class's uid as the schema defines it: category uid × 1000 + the class's own uid. */
export function ocsfClassUid(className: string): number {
  const categories = JSON.parse(readFileSync(new URL('categories.json', ROOT), 'utf8')) as {
    attributes: Record<string, { uid: number }>;
  };
  const def = eventDefinition(className) as Definition & { uid: number; category: string };
  return categories.attributes[def.category]!.uid * 1000 + def.uid;
}
