import { type Check, type CheckContext, type CheckMeta, perResource } from '../../../core/collector.ts';
import type { ElbLoadBalancersSnapshot, LoadBalancer } from './snapshot.ts';

type Judge = (lb: LoadBalancer) => readonly [ok: boolean, reason: string];

/**
 * A check over the load balancers `applies` to. When it covers classic load balancers and those could not be
 * read, the gap is one failing finding for the region: unknown is never a pass.
 */
function lbCheck(
  meta: CheckMeta,
  applies: (lb: LoadBalancer) => boolean,
  judge: Judge,
  coversClassic: boolean,
): Check<ElbLoadBalancersSnapshot> {
  const base = perResource(
    meta,
    (s: ElbLoadBalancersSnapshot) => s.loadBalancers.filter(applies),
    (lb) => lb.id,
    judge,
  );
  return {
    ...base,
    evaluate(s: ElbLoadBalancersSnapshot, context: CheckContext) {
      const findings = base.evaluate(s, context);
      if (!coversClassic || !s.gaps.classic) return findings;
      const gap = {
        check: meta.id,
        resource: `${context.scope.id}/${context.scope.region ?? ''}/classic`,
        status: 'fail' as const,
        reason: `classic load balancers could not be read (${s.gaps.classic}): unknown`,
      };
      return [...findings.filter((f) => f.status !== 'not_applicable'), gap];
    },
  };
}

const all = () => true;
const alb = (lb: LoadBalancer) => lb.type === 'application';

export const httpsOnly = lbCheck(
  {
    id: 'aws.elb.https-only',
    title: 'Load balancers serve HTTP only to redirect to HTTPS',
    severity: 'high',
    remediation:
      "Replace the HTTP listener's forward action with a redirect to HTTPS (HTTP_301), or remove it.",
    procedure:
      "Reads every load balancer's listeners (ELBv2 DescribeListeners; classic DescribeLoadBalancers). Passes a load balancer whose every HTTP listener redirects to HTTPS.",
  },
  all,
  (lb) => {
    const plain = lb.listeners.filter((l) => l.protocol === 'HTTP' && !l.redirectsToHttps);
    return [
      plain.length === 0,
      plain.length === 0
        ? 'no plain HTTP listener'
        : `${lb.name} serves plain HTTP on port ${plain.map((l) => l.port).join(', ')}`,
    ];
  },
  true,
);

export const tlsPolicy = lbCheck(
  {
    id: 'aws.elb.tls-policy',
    title: 'Load balancer TLS listeners accept TLS 1.2 or later only',
    severity: 'high',
    remediation:
      "Set the listener's security policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or a newer TLS 1.2+ policy).",
    procedure:
      "Reads the security policy of every HTTPS, TLS and SSL listener (DescribeListeners; classic DescribeLoadBalancerPolicies). Passes a load balancer whose listeners' policies accept no protocol older than TLS 1.2.",
  },
  (lb) => lb.listeners.some((l) => l.minTls !== null),
  (lb) => {
    const weak = lb.listeners.filter((l) => l.minTls !== null && l.minTls < '1.2');
    return [
      weak.length === 0,
      weak.length === 0
        ? 'TLS 1.2 or later only'
        : `${lb.name} accepts ${weak.map((l) => `TLS ${l.minTls} on port ${l.port} (${l.sslPolicy ?? 'default policy'})`).join(', ')}`,
    ];
  },
  true,
);

export const accessLogs = lbCheck(
  {
    id: 'aws.elb.access-logs',
    title: 'Load balancer access logs are on',
    severity: 'medium',
    remediation:
      'Enable access logs to an S3 bucket (attribute access_logs.s3.enabled, or AccessLog for classic).',
    procedure:
      "Reads every load balancer's attributes (DescribeLoadBalancerAttributes). Passes a load balancer whose access logging is enabled.",
  },
  all,
  (lb) => [lb.accessLogs, lb.accessLogs ? 'access logs on' : `${lb.name} does not write access logs`],
  true,
);

export const deletionProtection = lbCheck(
  {
    id: 'aws.elb.deletion-protection',
    title: 'Load balancers are protected from deletion',
    severity: 'low',
    remediation: 'Set deletion_protection.enabled to true on the load balancer.',
    procedure:
      "Reads every ELBv2 load balancer's attributes (DescribeLoadBalancerAttributes). Passes when deletion_protection.enabled is true.",
  },
  (lb) => lb.deletionProtection !== null,
  (lb) => [
    lb.deletionProtection === true,
    lb.deletionProtection
      ? 'deletion protection on'
      : `${lb.name} can be deleted without first turning protection off`,
  ],
  false,
);

export const dropInvalidHeaders = lbCheck(
  {
    id: 'aws.elb.drop-invalid-headers',
    title: 'Application load balancers drop invalid HTTP headers',
    severity: 'medium',
    remediation:
      'Set routing.http.drop_invalid_header_fields.enabled to true (a defence against request smuggling).',
    procedure:
      "Reads every application load balancer's attributes (DescribeLoadBalancerAttributes). Passes when routing.http.drop_invalid_header_fields.enabled is true.",
  },
  alb,
  (lb) => [
    lb.dropInvalidHeaders === true,
    lb.dropInvalidHeaders ? 'drops invalid headers' : `${lb.name} forwards invalid header fields`,
  ],
  false,
);

export const desyncMitigation = lbCheck(
  {
    id: 'aws.elb.desync-mitigation',
    title: 'Application load balancers mitigate HTTP desync',
    severity: 'low',
    remediation: 'Set routing.http.desync_mitigation_mode to defensive or strictest.',
    procedure:
      "Reads every application load balancer's attributes (DescribeLoadBalancerAttributes). Passes when routing.http.desync_mitigation_mode is defensive or strictest.",
  },
  alb,
  (lb) => {
    const ok = lb.desyncMitigation === 'defensive' || lb.desyncMitigation === 'strictest';
    return [
      ok,
      ok
        ? `desync mitigation ${lb.desyncMitigation}`
        : `${lb.name} desync mitigation mode is ${lb.desyncMitigation}`,
    ];
  },
  false,
);

export const waf = lbCheck(
  {
    id: 'aws.elb.waf',
    title: 'Internet-facing application load balancers are protected by a web ACL',
    severity: 'medium',
    remediation: 'Associate a WAFv2 web ACL with managed rule groups to the load balancer.',
    procedure:
      'Reads the internet-facing application load balancers (DescribeLoadBalancers) and the web ACL of each (wafv2 GetWebACLForResource). Passes a load balancer associated with a web ACL.',
  },
  (lb) => alb(lb) && lb.scheme === 'internet-facing',
  (lb) =>
    lb.webAcl === undefined
      ? [false, `web ACL associations could not be read: unknown whether ${lb.name} is protected`]
      : [lb.webAcl !== null, lb.webAcl ? `protected by ${lb.webAcl}` : `${lb.name} has no web ACL`],
  false,
);

export const checks: Check<ElbLoadBalancersSnapshot>[] = [
  httpsOnly,
  tlsPolicy,
  accessLogs,
  deletionProtection,
  dropInvalidHeaders,
  desyncMitigation,
  waf,
];
