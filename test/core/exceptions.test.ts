import { describe, expect, it } from 'vitest';
import {
  applyExceptions,
  ExceptionError,
  type ExceptionGrant,
  exceptionGrant,
  exceptionStates,
  latestExpiry,
  resourceMatches,
} from '../../core/exceptions.ts';
import type { ControlResult, Finding } from '../../core/model.ts';
import { control } from '../support/catalog.ts';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const controls = [
  control({ id: 'DATA-02', type: 'automated', checks: ['aws.s3.public-access-block'], soc2: ['CC6.1'] }),
  control({ id: 'GOV-01', manualEvidence: { description: 'd', everyDays: 365 }, soc2: ['CC3.1'] }),
];
const request = {
  control: 'DATA-02',
  resource: 'arn:aws:s3:::public-*',
  reason: 'public website assets',
  owner: 'platform',
  approvedBy: 'dana',
  expires: '2026-12-31',
};

describe('exceptionGrant (validation)', () => {
  it('records a valid request with an id, the grant time and an end-of-day expiry', () => {
    const grant = exceptionGrant(request, controls, NOW);
    expect(grant).toMatchObject({
      kind: 'grant',
      control: 'DATA-02',
      resource: 'arn:aws:s3:::public-*',
      grantedAt: NOW.toISOString(),
      expiresAt: '2026-12-31T23:59:59.999Z',
    });
    expect(grant.id).toMatch(/^EXC-[0-9A-F]{10}$/);
  });

  it('refuses an exception without an expiry', () => {
    expect(() => exceptionGrant({ ...request, expires: undefined }, controls, NOW)).toThrow(
      'an exception needs an expiry date (--expires YYYY-MM-DD)',
    );
  });

  it('refuses an expiry beyond the maximum (default 90 days), and accepts one exactly at it', () => {
    expect(() => exceptionGrant({ ...request, expires: '2027-02-26' }, controls, NOW)).toThrow(
      'expiry 2027-02-26 is beyond the maximum of 90 days (latest allowed: 2027-02-25)',
    );
    expect(exceptionGrant({ ...request, expires: '2027-02-25' }, controls, NOW).expiresAt).toBe(
      '2027-02-25T23:59:59.999Z',
    );
    expect(() => exceptionGrant({ ...request, expires: '2027-01-10' }, controls, NOW, 30)).toThrow(
      'beyond the maximum of 30 days',
    );
  });

  it('refuses a past expiry, a non-date, an unknown control, a manual control and missing fields — all at once', () => {
    expect(() => exceptionGrant({ ...request, expires: '2026-11-01' }, controls, NOW)).toThrow(
      'is not in the future',
    );
    expect(() => exceptionGrant({ ...request, expires: 'soon' }, controls, NOW)).toThrow(
      'expiry "soon" is not a date',
    );
    expect(() => exceptionGrant({ ...request, control: 'NOPE-01' }, controls, NOW)).toThrow(
      'unknown control "NOPE-01"',
    );
    expect(() => exceptionGrant({ ...request, control: 'GOV-01' }, controls, NOW)).toThrow(
      'control GOV-01 has no automated checks',
    );
    const error = (() => {
      try {
        exceptionGrant({ control: 'DATA-02', expires: '2026-12-31' }, controls, NOW);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ExceptionError);
    expect(error?.message).toBe(
      'an exception needs reason (--reason); an exception needs owner (--owner); an exception needs approvedBy (--approved-by)',
    );
  });

  it('computes the latest allowed expiry as the end of the UTC day maxDays later', () => {
    expect(latestExpiry(NOW, 90).toISOString()).toBe('2027-02-25T23:59:59.999Z');
  });
});

describe('resourceMatches', () => {
  it('matches globs over the whole resource, with regex characters taken literally', () => {
    expect(resourceMatches(undefined, 'anything')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::public-*', 'arn:aws:s3:::public-site')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::public-*', 'arn:aws:s3:::private')).toBe(false);
    expect(resourceMatches('bucket-?', 'bucket-1')).toBe(true);
    expect(resourceMatches('bucket-?', 'bucket-12')).toBe(false);
    expect(resourceMatches('a.b', 'axb')).toBe(false);
  });
});

const fail = (resource: string): Finding => ({
  check: 'aws.s3.public-access-block',
  resource,
  status: 'fail',
  reason: 'public',
});
const failingResult = (resources: string[], gaps: string[] = []): ControlResult => ({
  control: 'DATA-02',
  status: 'failing',
  failing: resources.map(fail),
  findingCount: resources.length + 1,
  resourceCount: resources.length + 1,
  evidence: ['evidence/a.json'],
  gaps,
});
const grant = (overrides: Partial<ExceptionGrant> = {}): ExceptionGrant => ({
  kind: 'grant',
  id: 'EXC-000000000A',
  control: 'DATA-02',
  resource: 'arn:aws:s3:::public-*',
  reason: 'r',
  owner: 'o',
  approvedBy: 'a',
  grantedAt: '2026-11-01T00:00:00.000Z',
  expiresAt: '2026-12-31T23:59:59.999Z',
  ...overrides,
});

describe('exceptionStates', () => {
  it('is active until expiry, expired after, revoked once a revocation record exists', () => {
    const records = [{ record: grant(), key: 'k1' }];
    expect(exceptionStates(records, NOW)[0]?.state).toBe('active');
    expect(exceptionStates(records, new Date('2027-01-01T00:00:00.000Z'))[0]?.state).toBe('expired');
    const revoked = [
      ...records,
      {
        record: {
          kind: 'revoke' as const,
          id: 'EXC-000000000A',
          reason: 'fixed',
          revokedBy: 'dana',
          revokedAt: '2026-11-20T00:00:00.000Z',
        },
        key: 'k2',
      },
    ];
    expect(exceptionStates(revoked, NOW)[0]).toMatchObject({
      state: 'revoked',
      revocation: { reason: 'fixed' },
    });
    // Before the revocation was recorded, the exception was still active: history is preserved.
    expect(exceptionStates(revoked, new Date('2026-11-10T00:00:00.000Z'))[0]?.state).toBe('active');
  });
});

describe('applyExceptions', () => {
  const views = (g: ExceptionGrant, asOf = NOW) =>
    exceptionStates([{ record: g, key: 'evidence/exc.json' }], asOf);

  it('marks covered failing findings as excepted (keeping status fail) and the control excepted when all are', () => {
    const result = applyExceptions(failingResult(['arn:aws:s3:::public-site']), views(grant()));
    expect(result.status).toBe('excepted');
    expect(result.failing).toEqual([]);
    expect(result.excepted).toEqual([{ ...fail('arn:aws:s3:::public-site'), exception: 'EXC-000000000A' }]);
    expect(result.excepted?.[0]?.status).toBe('fail');
    expect(result.evidence).toEqual(['evidence/a.json', 'evidence/exc.json']);
  });

  it('keeps the control failing while any failing finding is not covered', () => {
    const result = applyExceptions(
      failingResult(['arn:aws:s3:::public-site', 'arn:aws:s3:::private']),
      views(grant()),
    );
    expect(result.status).toBe('failing');
    expect(result.failing.map((f) => f.resource)).toEqual(['arn:aws:s3:::private']);
    expect(result.excepted?.map((f) => f.resource)).toEqual(['arn:aws:s3:::public-site']);
  });

  it('reports no_evidence rather than excepted when evidence is also missing', () => {
    const result = applyExceptions(failingResult(['arn:aws:s3:::public-site'], ['gap']), views(grant()));
    expect(result.status).toBe('no_evidence');
  });

  it('stops applying an expired exception and reports it', () => {
    const result = applyExceptions(
      failingResult(['arn:aws:s3:::public-site']),
      views(grant(), new Date('2027-01-05T00:00:00.000Z')),
    );
    expect(result.status).toBe('failing');
    expect(result.failing).toHaveLength(1);
    expect(result.expiredExceptions).toEqual(['EXC-000000000A']);
  });

  it('ignores exceptions of other controls and leaves passing results alone', () => {
    const other = applyExceptions(
      failingResult(['arn:aws:s3:::public-site']),
      views(grant({ control: 'IAM-01' })),
    );
    expect(other.status).toBe('failing');
    const passing: ControlResult = { ...failingResult([]), status: 'passing' };
    expect(applyExceptions(passing, views(grant()))).toEqual(passing);
  });
});
