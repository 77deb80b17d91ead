export interface Stage {
  /** `restApiId/stageName` */
  readonly id: string;
  readonly api: string;
  readonly name: string;
  readonly accessLogDestination: string | null;
  readonly webAclArn: string | null;
  readonly clientCertificateId: string | null;
}

export interface DomainName {
  readonly name: string;
  /** TLS_1_0 or TLS_1_2 (or a newer SecurityPolicy_… name). */
  readonly securityPolicy: string;
}

export interface ApiGatewaySnapshot {
  readonly stages: readonly Stage[];
  readonly domainNames: readonly DomainName[];
}
