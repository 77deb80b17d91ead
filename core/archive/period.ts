import { EXIT, type ExitCode, ProoflineError } from '../errors.ts';
import type { Control } from '../model.ts';
import { isIsoDay } from '../validate.ts';
import type { Framework, Period, Requirement } from './types.ts';

const DAY_MS = 86_400_000;

export class ArchiveInputError extends ProoflineError {
  override name = 'ArchiveInputError';
  override readonly exitCode: ExitCode = EXIT.usage;
}

function parseDay(value: string, what: string): number {
  if (!isIsoDay(value)) throw new ArchiveInputError(`${what} "${value}" is not a date: use YYYY-MM-DD`);
  return Date.parse(`${value}T00:00:00.000Z`);
}

/** An audit period of whole UTC days, both ends included: `2026-01-01` to `2026-12-31` is 365 days. */
export function parsePeriod(from: string, to: string): Period {
  const start = parseDay(from, '--from');
  const last = parseDay(to, '--to');
  if (last < start) throw new ArchiveInputError(`--to ${to} is before --from ${from}`);
  const days: string[] = [];
  for (let t = start; t <= last; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return {
    from,
    to,
    start: new Date(start).toISOString(),
    end: new Date(last + DAY_MS).toISOString(),
    days,
  };
}

/** `localeCompare(b, 'en', { numeric: true })`, with the collator made once rather than on every call. */
const byId = new Intl.Collator('en', { numeric: true }).compare;

/**
 * The requirements the controls map to, for when no framework catalog is given: ids only, sorted naturally
 * (CC1.2 before CC1.10). A full catalog passed to the archive also lists requirements no control meets.
 */
export function requirementsFromControls(controls: readonly Control[], framework: Framework): Requirement[] {
  const ids = new Set(controls.flatMap((c) => (framework === 'soc2' ? c.soc2 : c.iso27001)));
  return [...ids].sort(byId).map((id) => ({ id, title: '', framework }));
}

export const mappedRequirements = (control: Control, framework: Framework): readonly string[] =>
  framework === 'soc2' ? control.soc2 : control.iso27001;

export { byId as compareIds };
