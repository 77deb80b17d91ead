export interface Distribution {
  readonly id: string;
  readonly arn: string;
  readonly domain: string;
  /** The viewer protocol policy of the default and of each ordered cache behaviour, by path pattern. */
  readonly viewerProtocolPolicies: Readonly<Record<string, string>>;
  /** TLSv1, TLSv1.2_2021 …; null when the distribution uses the default *.cloudfront.net certificate. */
  readonly minimumProtocolVersion: string | null;
  readonly webAclId: string | null;
  readonly logging: boolean;
  /** Custom origins and their origin protocol policy (http-only, match-viewer, https-only). */
  readonly customOrigins: Readonly<Record<string, string>>;
}

export interface CloudFrontSnapshot {
  readonly distributions: readonly Distribution[];
}
