/**
 * Check evaluation throughput against JSON.parse of the same bytes, measured in the same run.
 * Goal: evaluating a snapshot takes at most twice as long as parsing it (throughput ≥ 50% of JSON.parse's).
 */
import { credentialReport } from '../collectors/aws/iam-credential-report/index.ts';
import type { CredentialReportSnapshot } from '../collectors/aws/iam-credential-report/snapshot.ts';
import { s3Buckets } from '../collectors/aws/s3-buckets/index.ts';
import type { S3BucketsSnapshot } from '../collectors/aws/s3-buckets/snapshot.ts';
import { canonicalJson } from '../core/canonical.ts';
import type { AnyCollector } from '../core/collector.ts';
import { evaluateArtifact } from '../core/evaluate.ts';
import type { Artifact } from '../core/model.ts';
import { fmt, pairedMs } from './timing.ts';

const asOf = '2026-11-27T00:00:00.000Z';
const day = (n: number) => new Date(Date.parse(asOf) - n * 86_400_000).toISOString();

export function syntheticCredentialReport(users: number): CredentialReportSnapshot {
  return {
    reportGeneratedAt: asOf,
    users: Array.from({ length: users }, (_, i) => ({
      user: i === 0 ? '<root_account>' : `user-${i}`,
      arn: i === 0 ? 'arn:aws:iam::111122223333:root' : `arn:aws:iam::111122223333:user/user-${i}`,
      userCreationTime: day(400 + (i % 300)),
      passwordEnabled: i % 3 === 0,
      passwordLastUsed: i % 5 === 0 ? null : day(i % 200),
      passwordLastChanged: day(i % 365),
      mfaActive: i % 7 !== 0,
      accessKeys: [
        { slot: 1, active: i % 2 === 0, lastRotated: day(i % 180), lastUsed: day(i % 120) },
        { slot: 2, active: i % 11 === 0, lastRotated: day(i % 400), lastUsed: null },
      ],
    })),
    passwordPolicy: null,
    accountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
  };
}

export function syntheticBuckets(count: number): S3BucketsSnapshot {
  const block = {
    blockPublicAcls: true,
    ignorePublicAcls: true,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  };
  return {
    accountPublicAccessBlock: null,
    buckets: Array.from({ length: count }, (_, n) => ({
      name: `bucket-${n}`,
      region: 'us-east-1',
      encryption:
        n % 4 === 0
          ? null
          : { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:us-east-1:111122223333:key/${n}` },
      publicAccessBlock: n % 5 === 0 ? null : block,
      versioning: n % 3 === 0 ? 'Suspended' : 'Enabled',
      logging: n % 2 === 0 ? { targetBucket: 'logs', targetPrefix: `bucket-${n}/` } : null,
      policy:
        n % 6 === 0
          ? null
          : {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 's3:*',
                  Resource: [`arn:aws:s3:::bucket-${n}`, `arn:aws:s3:::bucket-${n}/*`],
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                },
              ],
            },
      tags: (n % 7 === 0 ? { 'data-classification': 'customer' } : {}) as Record<string, string>,
      lifecycle:
        n % 14 === 0
          ? [
              {
                id: 'retention',
                enabled: true,
                filter: null,
                expiration: { days: 365, date: null },
                noncurrentExpirationDays: 30,
              },
            ]
          : [],
    })),
  };
}

function measure(name: string, collector: AnyCollector, snapshot: unknown): string {
  const artifact: Artifact = {
    collector: collector.id,
    scope: { source: 'aws', id: '111122223333' },
    collectedAt: asOf,
    schemaVersion: 1,
    status: 'ok',
    snapshot,
  };
  const bytes = canonicalJson(artifact);
  const parsed = JSON.parse(bytes) as Artifact;
  let findings = 0;
  const timed = pairedMs(
    () => JSON.parse(bytes),
    () => {
      findings = evaluateArtifact(collector, parsed).length;
    },
  );
  const [parseMs, evalMs, ratio] = [timed.baselineMs, timed.subjectMs, 1 / timed.ratio];
  return `${name}: ${(bytes.length / 1e6).toFixed(1)} MB, ${findings} findings; JSON.parse ${fmt(parseMs)} ms, evaluate ${fmt(evalMs)} ms → evaluation throughput = ${fmt(ratio * 100, 0)}% of JSON.parse's (goal ≥ 50%) ${ratio >= 0.5 ? 'OK' : 'BELOW GOAL'}`;
}

export function runEvaluateBench(): string[] {
  return [
    measure('credential report, 100,000 users', credentialReport, syntheticCredentialReport(100_000)),
    measure('S3 snapshot, 20,000 buckets', s3Buckets, syntheticBuckets(20_000)),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of runEvaluateBench()) console.log(line);
