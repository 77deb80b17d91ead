import type { ControlPeriodStatus } from '../../archive/period-status.ts';
import type { Period } from '../../archive/types.ts';
import type { AnyCollector } from '../../collector.ts';
import type { Person } from '../../governance.ts';
import type { Control } from '../../model.ts';
import { type FrameworkId, type Frameworks, mappedIds } from '../../requirements.ts';
import type { EvidenceStore } from '../../stores/store.ts';
import { type ReportData, reportData } from './data.ts';
import { renderReport } from './render.ts';
import { periodStatuses } from './strip.ts';

export interface StoreReportInput {
  readonly store: EvidenceStore;
  readonly controls: readonly Control[];
  readonly collectors: readonly AnyCollector[];
  readonly frameworks: Frameworks;
  readonly framework?: FrameworkId;
  /** Role → people, from owners.yaml. */
  readonly owners: Readonly<Record<string, readonly Person[]>>;
  readonly period: Period;
  readonly now: Date;
  readonly generator: { readonly name: string; readonly version: string };
  /** The period's statuses when already computed (an archive's); default: read from the store. */
  readonly periodStatus?: ReadonlyMap<string, ControlPeriodStatus>;
  /** Evidence keys the report may link to, relative to where it is written (an archive's files). */
  readonly evidenceLinks?: ReadonlySet<string>;
}

/** The report's data from a store: its recorded control states and the period's statuses. */
export async function storeReportData(input: StoreReportInput): Promise<ReportData> {
  const { framework } = input;
  const controls = framework
    ? input.controls.filter((c) => mappedIds(c, framework).length > 0)
    : input.controls;
  const periodStatus =
    input.periodStatus ??
    (await periodStatuses(input.store, controls, input.collectors, input.period, input.framework));
  return reportData({
    controls,
    states: await input.store.controlStates(),
    collectors: input.collectors,
    frameworks: input.frameworks,
    ...(input.framework ? { framework: input.framework } : {}),
    owners: input.owners,
    period: input.period,
    periodStatus,
    generatedAt: input.now.toISOString(),
    generator: `${input.generator.name} ${input.generator.version}`,
    store: input.store.location,
    ...(input.evidenceLinks ? { evidenceLinks: input.evidenceLinks } : {}),
  });
}

/** The self-contained HTML report of a store over a period. */
export async function storeReportHtml(input: StoreReportInput): Promise<string> {
  return renderReport(await storeReportData(input));
}
