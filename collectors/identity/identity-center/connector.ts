import { paginateListInstances, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import * as z from 'zod';
import { AwsSession } from '../../aws/session.ts';
import type { ConnectOptions, SourceConnector } from '../../sources.ts';

const identityCenterScopeSchema = z.strictObject({
  /** The region the instance lives in. Default: AWS_REGION, else us-east-1. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name like eu-west-1')
    .optional(),
  /** The instance (arn:aws:sso:::instance/ssoins-…). Default: every instance the region lists (usually one). */
  instanceArn: z
    .string()
    // The pattern the SSO Admin API documents for InstanceArn.
    .regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9.-]{16}$/, 'must be an instance ARN')
    .optional(),
});
export type IdentityCenterScopeConfig = z.infer<typeof identityCenterScopeSchema>;

const regionOf = (config: IdentityCenterScopeConfig, options: Pick<ConnectOptions, 'env'>) =>
  config.region ?? options.env.AWS_REGION ?? options.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const instanceId = (arn: string) => arn.split('/').at(-1) ?? arn;

/** IAM Identity Center read with the standard AWS credential chain, like the AWS collectors. */
export const identityCenterConnector: SourceConnector<IdentityCenterScopeConfig> = {
  source: 'identity-center',
  schema: identityCenterScopeSchema,
  missing: (config) => (config ? undefined : 'no scope.identity-center section in the config'),
  scopes(config, options) {
    if (!config.instanceArn)
      throw new Error(
        'scope.identity-center.instanceArn: name the instance (aws sso-admin list-instances) so a failed collection is recorded against it',
      );
    return [
      { source: 'identity-center', id: instanceId(config.instanceArn), region: regionOf(config, options) },
    ];
  },
  async targets(collectors, config, options) {
    if (!config) return [];
    const region = regionOf(config, options);
    const session = new AwsSession({
      homeRegion: region,
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    });
    let arns: string[];
    if (config.instanceArn) arns = [config.instanceArn];
    else {
      arns = [];
      for await (const page of paginateListInstances({ client: session.client(SSOAdminClient) }, {}))
        for (const i of page.Instances ?? []) if (i.InstanceArn) arns.push(i.InstanceArn);
    }
    // No instance is a finding for the record, not a reason to skip: collect() then fails with "not found".
    if (arns.length === 0) arns = ['arn:aws:sso:::instance/none'];
    return arns.flatMap((arn) => {
      const scope = { source: 'identity-center' as const, id: instanceId(arn), region };
      return collectors.map((collector) => ({ collector, scope, session }));
    });
  },
};
