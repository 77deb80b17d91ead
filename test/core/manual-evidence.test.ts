import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applyManualEvidence,
  ManualEvidenceError,
  manualEvidenceSnapshot,
  manualEvidenceState,
  mediaTypeOf,
} from '../../core/manual-evidence.ts';
import type { ControlResult } from '../../core/model.ts';
import { control } from '../support/catalog.ts';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const upload = (uploadedAt: string) => ({ control: 'HR-01', key: 'evidence/upload.json', uploadedAt });
const result = (status: ControlResult['status']): ControlResult => ({
  control: 'HR-01',
  status,
  failing: [],
  findingCount: 0,
  resourceCount: 0,
  evidence: [],
  gaps: status === 'no_evidence' ? ['aws.s3.buckets: never collected'] : [],
});
const manual = control({ id: 'HR-01', manualEvidence: { description: 'screening report', everyDays: 90 } });
const hybrid = control({
  id: 'HR-01',
  type: 'hybrid',
  checks: ['aws.iam.unused-credentials'],
  manualEvidence: { description: 'offboarding checklists', everyDays: 90 },
});

describe('manualEvidenceSnapshot', () => {
  it('embeds the bytes (base64) with name, media type, size, their own SHA-256 and the uploader', () => {
    const bytes = Buffer.from('%PDF-1.7 minutes');
    const s = manualEvidenceSnapshot('GOV-02', 'minutes.pdf', bytes, 'dana');
    expect(s).toEqual({
      control: 'GOV-02',
      fileName: 'minutes.pdf',
      mediaType: 'application/pdf',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploader: 'dana',
      contentBase64: bytes.toString('base64'),
    });
    expect(Buffer.from(s.contentBase64, 'base64')).toEqual(bytes);
  });

  it('refuses an empty file and an unnamed uploader', () => {
    expect(() => manualEvidenceSnapshot('GOV-02', 'empty.pdf', new Uint8Array(), 'dana')).toThrow(
      new ManualEvidenceError('empty.pdf is empty: there is nothing to upload'),
    );
    expect(() => manualEvidenceSnapshot('GOV-02', 'a.pdf', Buffer.from('x'), ' ')).toThrow(
      'uploader must be named',
    );
  });

  it('accepts any file type, guessing the media type from the extension', () => {
    expect(mediaTypeOf('Review.XLSX')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(mediaTypeOf('photo.jpeg')).toBe('image/jpeg');
    expect(mediaTypeOf('export.weird')).toBe('application/octet-stream');
  });
});

describe('manualEvidenceState', () => {
  it('is due with no upload, fresh within everyDays, due once older than everyDays', () => {
    expect(manualEvidenceState(90, undefined, NOW)).toEqual({ due: true, lastUploadAt: null, dueBy: null });
    expect(manualEvidenceState(90, upload('2026-09-01T12:00:00.000Z'), NOW)).toEqual({
      due: false,
      lastUploadAt: '2026-09-01T12:00:00.000Z',
      dueBy: '2026-11-30T12:00:00.000Z',
    });
    // exactly at the boundary it is still fresh; a millisecond later it is due
    expect(manualEvidenceState(90, upload('2026-08-29T12:00:00.000Z'), NOW).due).toBe(false);
    expect(manualEvidenceState(90, upload('2026-08-29T11:59:59.999Z'), NOW).due).toBe(true);
  });
});

describe('applyManualEvidence', () => {
  it('makes a manual control manual_due without an upload and passing with a fresh one', () => {
    const due = applyManualEvidence(manual, result('no_evidence'), undefined, NOW);
    expect(due.status).toBe('manual_due');
    expect(due.manualEvidence).toEqual({ lastUploadAt: null, dueBy: null });
    const fresh = applyManualEvidence(manual, result('no_evidence'), upload('2026-11-01T00:00:00.000Z'), NOW);
    expect(fresh.status).toBe('passing');
    expect(fresh.evidence).toEqual(['evidence/upload.json']);
    expect(fresh.lastEvidenceAt).toBe('2026-11-01T00:00:00.000Z');
  });

  it('makes a manual control manual_due when its latest upload is older than its cadence', () => {
    const stale = applyManualEvidence(manual, result('no_evidence'), upload('2026-01-01T00:00:00.000Z'), NOW);
    expect(stale.status).toBe('manual_due');
  });

  it('combines both halves of a hybrid control: failing wins, then manual_due, then the automated status', () => {
    const fresh = upload('2026-11-01T00:00:00.000Z');
    expect(applyManualEvidence(hybrid, result('failing'), undefined, NOW).status).toBe('failing');
    expect(applyManualEvidence(hybrid, result('passing'), undefined, NOW).status).toBe('manual_due');
    expect(applyManualEvidence(hybrid, result('excepted'), undefined, NOW).status).toBe('manual_due');
    expect(applyManualEvidence(hybrid, result('passing'), fresh, NOW).status).toBe('passing');
    expect(applyManualEvidence(hybrid, result('no_evidence'), fresh, NOW).status).toBe('no_evidence');
  });

  it('leaves controls without a manual-evidence spec unchanged', () => {
    const automated = control({ id: 'HR-01', type: 'automated', checks: ['x'] });
    expect(applyManualEvidence(automated, result('passing'), undefined, NOW)).toEqual(result('passing'));
  });
});
