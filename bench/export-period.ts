/**
 * An auditor's archive of a 90-day period from a store written by the product's own pipeline (collect, evaluate,
 * once a day, 20 scopes, with failures, a failed collection and missed days): archive size and export time.
 *
 *   npx tsx bench/export-period.ts                     a fresh store in a temporary folder
 *   PROOFLINE_BENCH_STORE=DIR npx tsx bench/export-period.ts    (re)uses DIR, so runs compare on the same store
 */
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildArchive } from '../core/archive/build.ts';
import type { Scope } from '../core/model.ts';
import { LocalSigner } from '../core/signing.ts';
import { LocalStore } from '../core/stores/local-store.ts';
import {
  collectorOfCheck,
  daysFrom,
  historyControls,
  widgetsCollector,
  writeHistory,
} from '../test/support/evidence-history.ts';

const DAYS = 90;
const SCOPES: Scope[] = Array.from({ length: 20 }, (_, i) => ({
  source: 'aws',
  id: String(100000000000 + i),
}));
const days = daysFrom('2026-01-01', DAYS);

const dir = process.env.PROOFLINE_BENCH_STORE ?? (await mkdtemp(join(tmpdir(), 'proofline-bench-period-')));
const fresh = !(await stat(join(dir, 'index.sqlite')).then(
  () => true,
  () => false,
));
const store = await LocalStore.open(dir);
if (fresh) {
  const t0 = performance.now();
  await writeHistory(
    store,
    days,
    (day, scope) => {
      const n = Number(day.slice(8, 10)) + Number(scope.id.slice(-2));
      return n % 29 === 0 ? 'skip' : n % 31 === 0 ? 'error' : n % 7 === 0 ? 'fail' : 'pass';
    },
    SCOPES,
  );
  console.log(
    `store: ${DAYS} days × ${SCOPES.length} scopes written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`,
  );
}
const signer = await LocalSigner.open(dir);
let bytes = 0;
const output = new Writable({
  write(chunk: Buffer, _encoding, done) {
    bytes += chunk.length;
    done();
  },
});
const t0 = performance.now();
const result = await buildArchive({
  store,
  signer,
  output,
  framework: 'soc2',
  from: days[0]!,
  to: days.at(-1)!,
  controls: historyControls,
  collectorOfCheck,
  collectors: [widgetsCollector(() => 'pass')],
  generator: { name: 'proofline', version: 'bench' },
});
const ms = performance.now() - t0;
console.log(
  `export: ${result.manifest.evidence.count} evidence files, archive ${(bytes / 1e6).toFixed(2)} MB, ${(ms / 1000).toFixed(2)} s`,
);
await store.close();
