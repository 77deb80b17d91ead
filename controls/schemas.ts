import * as z from 'zod';

// The catalog's YAML schemas, in a module of their own: loaded only when YAML is read (the bundles carry the
// built-in catalog compiled, so they never build these or load zod for them).

/** A mapping to one requirement: the control's checks (or `manual`) that evidence it, and why. */
const linkSchema = z.strictObject(
  {
    id: z.string(),
    by: z.array(z.string()).min(1, 'name the checks (or "manual") that evidence this requirement'),
    why: z.string().min(20, 'give a one-line rationale'),
  },
  'expected a link { id, by, why }: the requirement, the checks or "manual" that evidence it, and why',
);

/** One control of controls/internal/*.yaml. */
export const controlSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]+-\d{2,}$/, 'must look like IAM-01'),
  title: z.string().min(1),
  objective: z.string().min(1),
  owner: z.string().min(1),
  type: z.enum(['automated', 'manual', 'hybrid']),
  checks: z.array(z.string()).default([]),
  manualEvidence: z
    .strictObject({ description: z.string().min(1), everyDays: z.number().int().positive() })
    .optional(),
  soc2: z.array(linkSchema).default([]),
  iso27001: z.array(linkSchema).default([]),
});

/** A controls file: its list, each control validated on its own so every error is reported. */
export const controlFileSchema = z.strictObject({ controls: z.array(z.unknown()) });

/** One requirement of a framework catalog (controls/frameworks/*.yaml). */
export const requirementSchema = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(['criterion', 'clause', 'control']),
  title: z.string().trim().min(1),
  category: z
    .enum(['security', 'availability', 'confidentiality', 'processing-integrity', 'privacy'])
    .optional(),
  theme: z.enum(['organizational', 'people', 'physical', 'technological']).optional(),
});
export type RawRequirement = z.infer<typeof requirementSchema>;

/** A framework file: its id, name and version, and its requirements, each validated on its own. */
export const frameworkSchema = z.strictObject({
  framework: z.enum(['soc2', 'iso27001']),
  name: z.string().min(1),
  version: z.string().min(1),
  requirements: z.array(z.unknown()).min(1),
});
