/**
 * The monitoring set of the CIS Amazon Web Services Foundations Benchmark (v1.4.0 §4.1–4.15; the same metric
 * filters carry on in later versions): for each, the CloudTrail events a log metric filter must match and an
 * alarm must act on. A filter satisfies an item when its pattern contains every term below; whitespace,
 * quotes and parentheses are ignored in both, so `($.eventName = "CreateTrail")` and `$.eventName=CreateTrail`
 * compare equal. Each item's terms follow the benchmark's recommended filter pattern.
 */
export interface MonitoringItem {
  /** The check id suffix: aws.cloudwatch.alarm-<slug>. */
  readonly slug: string;
  readonly title: string;
  /** The benchmark recommendation this item follows. */
  readonly cis: string;
  readonly terms: readonly string[];
}

const events = (...names: string[]) => names.map((n) => `$.eventName=${n}`);

export const CIS_MONITORING: readonly MonitoringItem[] = [
  {
    slug: 'unauthorized-api-calls',
    title: 'unauthorized API calls',
    cis: 'CIS AWS Foundations 1.4.0 §4.1',
    terms: ['$.errorCode=*UnauthorizedOperation', '$.errorCode=AccessDenied*'],
  },
  {
    slug: 'console-signin-without-mfa',
    title: 'console sign-in without MFA',
    cis: 'CIS AWS Foundations 1.4.0 §4.2',
    terms: ['$.eventName=ConsoleLogin', '$.additionalEventData.MFAUsed!=Yes'],
  },
  {
    slug: 'root-usage',
    title: 'use of the root user',
    cis: 'CIS AWS Foundations 1.4.0 §4.3',
    terms: ['$.userIdentity.type=Root', '$.userIdentity.invokedByNOTEXISTS', '$.eventType!=AwsServiceEvent'],
  },
  {
    slug: 'iam-policy-changes',
    title: 'IAM policy changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.4',
    terms: events(
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ),
  },
  {
    slug: 'cloudtrail-changes',
    title: 'CloudTrail configuration changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.5',
    terms: events('CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'),
  },
  {
    slug: 'console-auth-failures',
    title: 'console authentication failures',
    cis: 'CIS AWS Foundations 1.4.0 §4.6',
    terms: ['$.eventName=ConsoleLogin', '$.errorMessage=Failedauthentication'],
  },
  {
    slug: 'cmk-disable-deletion',
    title: 'disabling or scheduled deletion of customer-managed keys',
    cis: 'CIS AWS Foundations 1.4.0 §4.7',
    terms: ['$.eventSource=kms.amazonaws.com', ...events('DisableKey', 'ScheduleKeyDeletion')],
  },
  {
    slug: 's3-bucket-policy-changes',
    title: 'S3 bucket policy changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.8',
    terms: [
      '$.eventSource=s3.amazonaws.com',
      ...events(
        'PutBucketAcl',
        'PutBucketPolicy',
        'PutBucketCors',
        'PutBucketLifecycle',
        'PutBucketReplication',
        'DeleteBucketPolicy',
        'DeleteBucketCors',
        'DeleteBucketLifecycle',
        'DeleteBucketReplication',
      ),
    ],
  },
  {
    slug: 'config-changes',
    title: 'AWS Config configuration changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.9',
    terms: [
      '$.eventSource=config.amazonaws.com',
      ...events(
        'StopConfigurationRecorder',
        'DeleteDeliveryChannel',
        'PutDeliveryChannel',
        'PutConfigurationRecorder',
      ),
    ],
  },
  {
    slug: 'security-group-changes',
    title: 'security group changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.10',
    terms: events(
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
    ),
  },
  {
    slug: 'nacl-changes',
    title: 'network ACL changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.11',
    terms: events(
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
      'ReplaceNetworkAclAssociation',
    ),
  },
  {
    slug: 'network-gateway-changes',
    title: 'network gateway changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.12',
    terms: events(
      'CreateCustomerGateway',
      'DeleteCustomerGateway',
      'AttachInternetGateway',
      'CreateInternetGateway',
      'DeleteInternetGateway',
      'DetachInternetGateway',
    ),
  },
  {
    slug: 'route-table-changes',
    title: 'route table changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.13',
    terms: events(
      'CreateRoute',
      'CreateRouteTable',
      'ReplaceRoute',
      'ReplaceRouteTableAssociation',
      'DeleteRouteTable',
      'DeleteRoute',
      'DisassociateRouteTable',
    ),
  },
  {
    slug: 'vpc-changes',
    title: 'VPC changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.14',
    terms: events(
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ),
  },
  {
    slug: 'organizations-changes',
    title: 'AWS Organizations changes',
    cis: 'CIS AWS Foundations 1.4.0 §4.15',
    terms: [
      '$.eventSource=organizations.amazonaws.com',
      ...events(
        'AcceptHandshake',
        'AttachPolicy',
        'CreateAccount',
        'CreateOrganizationalUnit',
        'CreatePolicy',
        'DeclineHandshake',
        'DeleteOrganization',
        'DeleteOrganizationalUnit',
        'DeletePolicy',
        'DetachPolicy',
        'DisablePolicyType',
        'EnablePolicyType',
        'InviteAccountToOrganization',
        'LeaveOrganization',
        'MoveAccount',
        'RemoveAccountFromOrganization',
        'UpdatePolicy',
        'UpdateOrganizationalUnit',
      ),
    ],
  },
];

const normalize = (text: string) => text.replace(/[\s"'()]/g, '');

/** Whether a metric filter pattern covers every term of the item. */
export const patternCovers = (pattern: string, item: MonitoringItem): boolean => {
  const p = normalize(pattern);
  return item.terms.every((term) => p.includes(normalize(term)));
};
