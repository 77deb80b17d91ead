import { existsSync } from 'node:fs';
import type { Framework } from '../core/archive/types.ts';
import { type ArchiveJudgement, ismsArchiveFiles } from '../core/isms/archive.ts';
import { loadIsmsFiles } from '../core/isms/files.ts';
import { DEFAULT_SOA_MAX_AGE_DAYS, soaDecisions } from '../core/isms/soa-approval.ts';
import type { Control } from '../core/model.ts';
import type { Frameworks } from '../core/requirements.ts';
import type { EvidenceStore } from '../core/stores/store.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from './governance.ts';
import { loadSubservices } from './subservices.ts';

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
  // A SOC 2 archive reads the governance files when there are some (an installed package ships none); an
  // ISO 27001 archive needs them for its SoA, and a folder named on purpose must exist.
  const optional = framework !== 'iso27001' && dir === DEFAULT_GOVERNANCE_DIR && !existsSync(dir);
  const subservices = await loadSubservices(controls);
  if (optional) return { subservices };
  const governance = await loadGovernance(dir, { controls, frameworks });
  if (framework !== 'iso27001') return { governance, subservices };
  const files = await loadIsmsFiles(dir, controls);
  const soaRows = soaDecisions(frameworks.iso27001, controls, governance);
  const sources = { store, controls, governance, files, soaRows, soaMaxAgeDays };
  return { governance, subservices, isms: (judged: ArchiveJudgement) => ismsArchiveFiles(sources, judged) };
}
