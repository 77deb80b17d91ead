import { existsSync } from 'node:fs';
import type { Framework } from '../core/archive/types.ts';
import type { Governance } from '../core/governance.ts';
import { type ArchiveJudgement, ismsArchiveFiles } from '../core/isms/archive.ts';
import { loadIsmsFiles } from '../core/isms/files.ts';
import { ismsStatus } from '../core/isms/gaps.ts';
import { DEFAULT_SOA_MAX_AGE_DAYS, soaDecisions } from '../core/isms/soa-approval.ts';
import type { Control } from '../core/model.ts';
import type { Frameworks } from '../core/requirements.ts';
import type { EvidenceStore } from '../core/stores/store.ts';
import { loadFrameworks } from './frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from './governance.ts';
import { loadSubservices } from './subservices.ts';

/** The ISMS files of a governance folder and the SoA's decisions: what the ISMS records are judged against. */
export async function ismsSources(
  dir: string,
  controls: readonly Control[],
  frameworks: Frameworks,
  governance: Pick<Governance, 'applicability' | 'risks'>,
) {
  const files = await loadIsmsFiles(dir, controls);
  return { files, soaRows: soaDecisions(frameworks.iso27001, controls, governance) };
}

/** Without a folder named on purpose, the default one is read when it exists (an installed package ships none). */
const absentDefault = (dir: string) => dir === DEFAULT_GOVERNANCE_DIR && !existsSync(dir);

/**
 * What the governance folder and the catalog give an archive, for `proofline export` and the export function
 * alike: the governance files (the SoA, the owners, the statements the contradiction checks read), the
 * subservice organisations, and for ISO 27001 the ISMS records as they stood at the end of the period.
 */
export async function archiveGovernance(
  store: EvidenceStore,
  controls: readonly Control[],
  frameworks: Frameworks,
  framework: Framework,
  { dir = DEFAULT_GOVERNANCE_DIR, soaMaxAgeDays = DEFAULT_SOA_MAX_AGE_DAYS } = {},
) {
  // A SOC 2 archive reads the governance files when there are some; an ISO 27001 archive needs them for its SoA.
  const optional = framework !== 'iso27001' && absentDefault(dir);
  const subservices = await loadSubservices(controls);
  if (optional) return { subservices };
  const governance = await loadGovernance(dir, { controls, frameworks });
  if (framework !== 'iso27001') return { governance, subservices };
  const sources = {
    store,
    controls,
    governance,
    ...(await ismsSources(dir, controls, frameworks, governance)),
    soaMaxAgeDays,
  };
  return { governance, subservices, isms: (judged: ArchiveJudgement) => ismsArchiveFiles(sources, judged) };
}

/**
 * The ISMS governance gaps at `now` that end the daily digest, for `proofline alerts --digest` and the deployed
 * summary alike: read from the ISMS records in the evidence store; none without a governance folder.
 */
export async function digestGovernanceGaps(
  store: EvidenceStore,
  controls: readonly Control[],
  now: Date,
  {
    dir = DEFAULT_GOVERNANCE_DIR,
    soaMaxAgeDays = DEFAULT_SOA_MAX_AGE_DAYS,
    governance: loaded,
  }: { dir?: string; soaMaxAgeDays?: number; governance?: Governance } = {},
): Promise<string[]> {
  if (absentDefault(dir)) return [];
  const frameworks = await loadFrameworks();
  // A caller that has read this folder's governance already (the daily summary's report) passes it in.
  const governance = loaded ?? (await loadGovernance(dir, { controls, frameworks }));
  const sources = await ismsSources(dir, controls, frameworks, governance);
  return (await ismsStatus({ store, ...sources, soaMaxAgeDays }, now)).gaps;
}
