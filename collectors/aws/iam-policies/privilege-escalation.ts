/**
 * Known IAM privilege-escalation paths: sets of actions that, granted together, let a principal raise its own
 * permissions. Source: Spencer Gietzen, "AWS IAM Privilege Escalation – Methods and Mitigation", Rhino Security
 * Labs (2018), methods 1–21; the same sets underlie Prowler's `iam_policy_allows_privilege_escalation`.
 * Data, not logic: extend it here.
 */
export interface EscalationPath {
  readonly name: string;
  readonly actions: readonly string[];
}

export const ESCALATION_SOURCE =
  'Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (2018)';

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  { name: 'create a new policy version', actions: ['iam:CreatePolicyVersion'] },
  { name: 'set the default policy version', actions: ['iam:SetDefaultPolicyVersion'] },
  { name: 'pass a role to a new EC2 instance', actions: ['iam:PassRole', 'ec2:RunInstances'] },
  { name: 'create an access key for another user', actions: ['iam:CreateAccessKey'] },
  { name: 'create a login profile', actions: ['iam:CreateLoginProfile'] },
  { name: 'update a login profile', actions: ['iam:UpdateLoginProfile'] },
  { name: 'attach a policy to a user', actions: ['iam:AttachUserPolicy'] },
  { name: 'attach a policy to a group', actions: ['iam:AttachGroupPolicy'] },
  { name: 'attach a policy to a role', actions: ['iam:AttachRolePolicy', 'sts:AssumeRole'] },
  { name: 'put an inline user policy', actions: ['iam:PutUserPolicy'] },
  { name: 'put an inline group policy', actions: ['iam:PutGroupPolicy'] },
  { name: 'put an inline role policy', actions: ['iam:PutRolePolicy', 'sts:AssumeRole'] },
  { name: 'add a user to a group', actions: ['iam:AddUserToGroup'] },
  { name: 'update a role trust policy', actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'] },
  {
    name: 'pass a role to a new Lambda function and invoke it',
    actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
  },
  {
    name: 'pass a role to a new Lambda function triggered by an event source',
    actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
  },
  { name: 'update an existing Lambda function’s code', actions: ['lambda:UpdateFunctionCode'] },
  { name: 'pass a role to a Glue development endpoint', actions: ['iam:PassRole', 'glue:CreateDevEndpoint'] },
  { name: 'update a Glue development endpoint', actions: ['glue:UpdateDevEndpoint'] },
  { name: 'pass a role to a CloudFormation stack', actions: ['iam:PassRole', 'cloudformation:CreateStack'] },
  {
    name: 'pass a role to a Data Pipeline',
    actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
  },
];
