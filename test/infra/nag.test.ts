import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { flattenReference, WILDCARD_REASONS, wildcardFindings } from '../../infra/nag.ts';
import { exampleConfig, SKIP_BUNDLING, withDeploy } from './support.ts';

interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** Acknowledgements recorded on constructs (`Validations.of(…).acknowledge` writes `{ id: reason }` metadata). */
function acknowledgements(app: Awaited<ReturnType<typeof buildApp>>['app']): Acknowledgement[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
}

describe('cdk-nag AwsSolutions', () => {
  it('the example deployment has no unacknowledged finding', async () => {
    const { app } = await buildApp({ config: exampleConfig(), appProps: SKIP_BUNDLING });
    expect(() => app.synth()).not.toThrow();
  });

  it('an organization-wide deployment has no unacknowledged finding', async () => {
    const config = withDeploy({ organization: { enabled: true, externalId: 'org-ext-id' }, accounts: [] });
    const { app } = await buildApp({ config, appProps: SKIP_BUNDLING });
    expect(() => app.synth()).not.toThrow();
  });

  it('every acknowledgement gives its reason', async () => {
    const { app } = await buildApp({ config: exampleConfig(), appProps: SKIP_BUNDLING });
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect(ack.id).toMatch(/AwsSolutions-/);
      expect(ack.reason.length, ack.id).toBeGreaterThan(40);
    }
  });

  it('a new wildcard nobody reviewed fails synth', async () => {
    const { app, main } = await buildApp({ config: exampleConfig(), appProps: SKIP_BUNDLING });
    main.proofline.functions.export.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [main.proofline.storage.evidenceBucket.arnForObjects('*')],
      }),
    );
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('an acknowledgement covers only its own construct', async () => {
    const { app, main } = await buildApp({ config: exampleConfig(), appProps: SKIP_BUNDLING });
    const extra = new iam.Role(main, 'Unreviewed', { assumedBy: new iam.AccountRootPrincipal() });
    extra.addToPolicy(new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/Unreviewed/);
  });
});

describe('wildcard findings, as cdk-nag names them', () => {
  it('flattens references the way cdk-nag prints them', () => {
    expect(
      flattenReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket1', 'Arn'] }, '/evidence/*']] }),
    ).toBe('<Bucket1.Arn>/evidence/*');
    expect(
      flattenReference({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/R']] }),
    ).toBe('arn:<AWS::Partition>:iam::*:role/R');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
    expect(flattenReference({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b/*' })).toBe(
      'arn:<AWS::Partition>:s3:::b/*',
    );
  });

  it('reports wildcard actions and resources of Allow statements only', () => {
    expect(
      wildcardFindings({
        Statement: [
          { Effect: 'Allow', Action: ['s3:Get*', 's3:PutObject'], Resource: '*' },
          { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ],
      }),
    ).toEqual(['Action::s3:Get*', 'Resource::*']);
  });

  it('each reviewed reason matches only the wildcards it was written for', () => {
    expect(WILDCARD_REASONS.evidencePrefix.finding.test('Resource::<Bucket1.Arn>/exports/*')).toBe(true);
    expect(WILDCARD_REASONS.evidencePrefix.finding.test('Resource::<Bucket1.Arn>/*')).toBe(false);
    expect(WILDCARD_REASONS.tableIndexes.finding.test('Resource::<Table1.Arn>/index/*')).toBe(true);
    expect(
      WILDCARD_REASONS.memberRoleEveryAccount.finding.test('Resource::arn:<AWS::Partition>:iam::*:role/*'),
    ).toBe(false);
  });
});
