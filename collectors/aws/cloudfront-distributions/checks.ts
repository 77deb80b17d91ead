import { type Check, perResource } from '../../../core/collector.ts';
import type { CloudFrontSnapshot, Distribution } from './snapshot.ts';

const distributions = (s: CloudFrontSnapshot) => s.distributions;
const arn = (d: Distribution) => d.arn;
/** Security policies older than TLSv1.2_2018 accept TLS 1.0 or 1.1. */
const OLD_TLS = new Set(['SSLv3', 'TLSv1', 'TLSv1_2016', 'TLSv1.1_2016']);

export const viewerHttps = perResource(
  {
    id: 'aws.cloudfront.viewer-https',
    title: 'CloudFront distributions serve viewers over HTTPS only',
    severity: 'high',
    remediation: "Set every cache behaviour's viewer protocol policy to redirect-to-https or https-only.",
    procedure:
      "Reads every distribution's default and ordered cache behaviours (ListDistributions, GetDistributionConfig). Passes a distribution in which none has the viewer protocol policy allow-all.",
  },
  distributions,
  arn,
  (d) => {
    const plain = Object.entries(d.viewerProtocolPolicies)
      .filter(([, p]) => p === 'allow-all')
      .map(([path]) => path);
    return [
      plain.length === 0,
      plain.length === 0 ? 'HTTPS only' : `${d.domain} serves plain HTTP for ${plain.join(', ')}`,
    ];
  },
);

export const tlsMinimum = perResource(
  {
    id: 'aws.cloudfront.tls-minimum',
    title: 'CloudFront distributions with a custom certificate require TLS 1.2 or later',
    severity: 'high',
    remediation: "Set the viewer certificate's minimum protocol version to TLSv1.2_2021 (or newer).",
    procedure:
      "Reads every distribution's viewer certificate (GetDistributionConfig). Passes one using a custom certificate whose minimum protocol version is TLSv1.2_2018 or newer.",
  },
  (s: CloudFrontSnapshot) => s.distributions.filter((d) => d.minimumProtocolVersion !== null),
  arn,
  (d) => {
    const weak = OLD_TLS.has(d.minimumProtocolVersion ?? '');
    return [
      !weak,
      weak ? `${d.domain} accepts ${d.minimumProtocolVersion}` : `minimum ${d.minimumProtocolVersion}`,
    ];
  },
);

export const logging = perResource(
  {
    id: 'aws.cloudfront.logging',
    title: 'CloudFront distributions write access logs',
    severity: 'medium',
    remediation: 'Enable standard logging to an S3 bucket (or real-time logs) on the distribution.',
    procedure:
      "Reads every distribution's configuration (GetDistributionConfig). Passes a distribution whose standard logging is enabled.",
  },
  distributions,
  arn,
  (d) => [d.logging, d.logging ? 'logging on' : `${d.domain} writes no access log`],
);

export const waf = perResource(
  {
    id: 'aws.cloudfront.waf',
    title: 'CloudFront distributions are protected by a web ACL',
    severity: 'medium',
    remediation: 'Associate a CLOUDFRONT-scope WAFv2 web ACL with the distribution.',
    procedure:
      "Reads every distribution's configuration (GetDistributionConfig). Passes a distribution with a web ACL id.",
  },
  distributions,
  arn,
  (d) => [d.webAclId !== null, d.webAclId ? `protected by ${d.webAclId}` : `${d.domain} has no web ACL`],
);

export const originHttps = perResource(
  {
    id: 'aws.cloudfront.origin-https',
    title: 'CloudFront reaches custom origins over HTTPS',
    severity: 'medium',
    remediation: "Set the custom origin's protocol policy to https-only.",
    procedure:
      "Reads every distribution's origins (GetDistributionConfig). Passes a distribution whose custom origins all use the origin protocol policy https-only.",
  },
  (s: CloudFrontSnapshot) => s.distributions.filter((d) => Object.keys(d.customOrigins).length > 0),
  arn,
  (d) => {
    const plain = Object.entries(d.customOrigins)
      .filter(([, p]) => p !== 'https-only')
      .map(([id, p]) => `${id} (${p})`);
    return [
      plain.length === 0,
      plain.length === 0 ? 'origins over HTTPS' : `${d.domain} may reach ${plain.join(', ')} over HTTP`,
    ];
  },
);

export const checks: Check<CloudFrontSnapshot>[] = [viewerHttps, tlsMinimum, logging, waf, originHttps];
