import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectors } from '../../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../../controls/governance.ts';
import { parsePeriod } from '../../core/archive/period.ts';
import type { Scope } from '../../core/model.ts';
import type { StoreReportInput } from '../../core/report/html/index.ts';
import { LocalSigner } from '../../core/signing.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { knownChecks } from '../support/catalog.ts';
import { dateIn } from '../support/cli.ts';
import { daysFrom, historyControls, widgetsCollector, writeHistory } from '../support/evidence-history.ts';

export const DAYS = 20;
export const SCOPES: Scope[] = [
  { source: 'aws', id: '111122223333' },
  { source: 'aws', id: '444455556666' },
];

/**
 * A store with the last 20 days of daily collections up to today, evaluated against the whole catalog plus
 * the widget controls: the second account's widget fails from day 12 on, every collection fails on day 5, the
 * second account is not collected on day 8. The catalog's own controls have no evidence or manual evidence due.
 */
export async function reportStore() {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-report-'));
  const store = await LocalStore.open(dir);
  await LocalSigner.open(dir); // as the first collect does: the key pair exports are signed with
  const catalog = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
  const controls = [...catalog, ...historyControls];
  const days = daysFrom(dateIn(-(DAYS - 1)), DAYS);
  await writeHistory(
    store,
    days,
    (day, scope) => {
      const i = days.indexOf(day);
      if (i === 4) return 'error';
      if (scope.id === SCOPES[1]!.id) return i === 7 ? 'skip' : i >= 11 ? 'fail' : 'pass';
      return 'pass';
    },
    SCOPES,
    controls,
  );
  const frameworks = await loadFrameworks();
  const governance = await loadGovernance(DEFAULT_GOVERNANCE_DIR, { controls: catalog, frameworks });
  const input: StoreReportInput = {
    store,
    controls,
    collectors: [...collectors, widgetsCollector(() => 'pass')],
    frameworks,
    owners: governance.owners,
    period: parsePeriod(days[0]!, days.at(-1)!),
    now: new Date(),
    generator: { name: 'proofline', version: 'test' },
  };
  return { dir, store, catalog, controls, days, input };
}
