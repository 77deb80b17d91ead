import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORD_COLLECTORS } from '../../../core/archive/period-status.ts';
import { EXCEPTION_COLLECTOR } from '../../../core/exceptions.ts';
import { GOVERNANCE_COLLECTOR } from '../../../core/governance.ts';
import { ISMS_COLLECTOR } from '../../../core/isms/records.ts';
import { MANUAL_EVIDENCE_COLLECTOR } from '../../../core/manual-evidence.ts';
import { LocalSigner } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import { archiveToBuffer } from '../../support/archive.ts';
import { daysFrom, writeHistory } from '../../support/evidence-history.ts';

describe('records people make never move the end of the period an archive can judge', () => {
  it('names the copies of the governance files among the record collectors', () => {
    expect([...RECORD_COLLECTORS].sort()).toEqual(
      [EXCEPTION_COLLECTOR, GOVERNANCE_COLLECTOR, ISMS_COLLECTOR, MANUAL_EVIDENCE_COLLECTOR].sort(),
    );
  });

  it.each([GOVERNANCE_COLLECTOR, ISMS_COLLECTOR, EXCEPTION_COLLECTOR, MANUAL_EVIDENCE_COLLECTOR])(
    'a %s record made after the last collection leaves the period clipped to that collection',
    async (collector) => {
      const dir = await mkdtemp(join(tmpdir(), 'proofline-records-'));
      const store = await LocalStore.open(join(dir, 'store'));
      try {
        const signer = await LocalSigner.open(join(dir, 'store'));
        await writeHistory(store, daysFrom('2026-03-01', 3), () => 'pass');
        await store.putArtifact({
          collector,
          scope: { source: 'manual', id: 'record' },
          collectedAt: '2026-03-05T09:00:00.000Z',
          schemaVersion: 1,
          status: 'ok',
          snapshot: { files: [] },
        });
        const { manifest } = await archiveToBuffer(store, signer, { from: '2026-03-01', to: '2026-03-05' });
        expect(manifest.period.to).toBe('2026-03-03');
        expect(manifest.period.clipped).toContain("the store's last collection was at 2026-03-03T");
      } finally {
        await store.close();
      }
    },
  );
});
