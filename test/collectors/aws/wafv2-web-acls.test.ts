import { CreateWebACLCommand, PutLoggingConfigurationCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { wafv2WebAcls as wafv2WebAclsDefinition } from '../../../collectors/aws/wafv2-web-acls/index.ts';
import type { Wafv2WebAclsSnapshot } from '../../../collectors/aws/wafv2-web-acls/snapshot.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const wafv2WebAcls = runnable(wafv2WebAclsDefinition);

const good: Wafv2WebAclsSnapshot = {
  webAcls: [
    {
      arn: 'arn:acl/good',
      name: 'good',
      rules: 2,
      defaultAction: 'allow',
      loggingDestinations: ['arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-good'],
    },
  ],
};
const bad: Wafv2WebAclsSnapshot = {
  webAcls: [{ arn: 'arn:acl/bad', name: 'bad', rules: 0, defaultAction: 'allow', loggingDestinations: [] }],
};

describe('aws.wafv2.web-acls checks', () => {
  everyCheckOnFixtures('aws.wafv2.web-acls', good, bad);
});

describeAws('aws.wafv2.web-acls collect (moto)', () => {
  it('reads each web ACL, its rules and the logging configurations listed in one call', async () => {
    const waf = new WAFV2Client(awsConfig());
    const visibility = { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'm' };
    const { Summary } = await waf.send(
      new CreateWebACLCommand({
        Name: 'edge',
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility,
        Rules: [
          {
            Name: 'common',
            Priority: 0,
            Statement: {
              ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
            },
            OverrideAction: { None: {} },
            VisibilityConfig: visibility,
          },
        ],
      }),
    );
    await waf.send(
      new CreateWebACLCommand({
        Name: 'empty',
        Scope: 'REGIONAL',
        DefaultAction: { Block: {} },
        VisibilityConfig: visibility,
      }),
    );
    const destination = 'arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge';
    await waf.send(
      new PutLoggingConfigurationCommand({
        LoggingConfiguration: { ResourceArn: Summary?.ARN, LogDestinationConfigs: [destination] },
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (_s, op) => calls.push(op) });
    const snap = await wafv2WebAcls.collect(session, {
      source: 'aws',
      id: '123456789012',
      region: 'us-east-1',
    });
    expect(Object.fromEntries(snap.webAcls.map((a) => [a.name, a]))).toMatchObject({
      edge: { rules: 1, defaultAction: 'allow', loggingDestinations: [destination] },
      empty: { rules: 0, defaultAction: 'block', loggingDestinations: [] },
    });
    expect(calls.sort()).toEqual(['GetWebACL', 'GetWebACL', 'ListLoggingConfigurations', 'ListWebACLs']);
  });
});
