export interface WebAcl {
  readonly arn: string;
  readonly name: string;
  readonly rules: number;
  readonly defaultAction: 'allow' | 'block';
  readonly loggingDestinations: readonly string[];
}

export interface Wafv2WebAclsSnapshot {
  readonly webAcls: readonly WebAcl[];
}
