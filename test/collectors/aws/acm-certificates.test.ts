import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { describe, expect, it } from 'vitest';
import { expiry } from '../../../collectors/aws/acm-certificates/checks.ts';
import { acmCertificates as acmCertificatesDefinition } from '../../../collectors/aws/acm-certificates/index.ts';
import type {
  AcmCertificatesSnapshot,
  Certificate,
} from '../../../collectors/aws/acm-certificates/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const acmCertificates = runnable(acmCertificatesDefinition);

const asOf = new Date('2026-11-27T12:00:00Z');
const inDays = (days: number) => new Date(asOf.getTime() + days * 86_400_000).toISOString();
const cert = (over: Partial<Certificate>): Certificate => ({
  arn: 'arn:aws:acm:us-east-1:111122223333:certificate/good',
  domain: 'good.example.com',
  status: 'ISSUED',
  type: 'AMAZON_ISSUED',
  keyAlgorithm: 'RSA_2048',
  notAfter: inDays(200),
  renewalStatus: 'SUCCESS',
  inUse: true,
  transparencyLogging: true,
  ...over,
});
const good: AcmCertificatesSnapshot = {
  certificates: [cert({}), cert({ arn: 'ec', keyAlgorithm: 'EC_prime256v1' })],
};
const bad: AcmCertificatesSnapshot = {
  certificates: [
    cert({
      arn: 'bad',
      domain: 'bad.example.com',
      keyAlgorithm: 'RSA_1024',
      notAfter: inDays(12),
      renewalStatus: 'FAILED',
      transparencyLogging: false,
    }),
  ],
};

describe('aws.acm.certificates checks', () => {
  everyCheckOnFixtures('aws.acm.certificates', good, bad, awsContext(asOf));

  it('counts days to expiry from the collection time; expired certificates fail too', () => {
    const reasons = (notAfter: string) =>
      expiry
        .evaluate({ certificates: [cert({ notAfter, status: 'EXPIRED' })] }, awsContext(asOf))
        .map((f) => f.reason);
    expect(reasons(inDays(-3))).toEqual(['good.example.com expired 3 day(s) ago']);
    expect(reasons(inDays(31))).toEqual(['good.example.com expires in 31 day(s)']);
  });
});

describeAws('aws.acm.certificates collect (moto)', () => {
  it('lists every key type and describes only the certificates ACM issued', async () => {
    const acm = new ACMClient(awsConfig());
    const { CertificateArn } = await acm.send(
      new RequestCertificateCommand({ DomainName: 'api.example.com' }),
    );
    // A self-signed RSA 1024 certificate to import: a weak key ACM can hold but never issues.
    const dir = mkdtempSync(join(tmpdir(), 'acm-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        `${dir}/k.pem`,
        '-out',
        `${dir}/c.pem`,
        '-days',
        '20',
        '-subj',
        '/CN=legacy.example.com',
      ],
      { stdio: 'ignore' },
    );
    const imported = await acm.send(
      new ImportCertificateCommand({
        Certificate: readFileSync(`${dir}/c.pem`),
        PrivateKey: readFileSync(`${dir}/k.pem`),
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (_s, op) => calls.push(op) });
    const snap = await acmCertificates.collect(session, {
      source: 'aws',
      id: '123456789012',
      region: 'us-east-1',
    });
    const byArn = Object.fromEntries(snap.certificates.map((c) => [c.arn, c]));
    expect(byArn[CertificateArn ?? '']).toMatchObject({ domain: 'api.example.com', type: 'AMAZON_ISSUED' });
    expect(byArn[imported.CertificateArn ?? '']).toMatchObject({
      domain: 'legacy.example.com',
      type: 'IMPORTED',
      keyAlgorithm: 'RSA_1024',
      transparencyLogging: null,
    });
    expect(calls.filter((c) => c === 'DescribeCertificate')).toHaveLength(1);
  });
});
