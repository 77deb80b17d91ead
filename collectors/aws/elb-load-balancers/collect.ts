import {
  DescribeLoadBalancerAttributesCommand as DescribeClassicAttributesCommand,
  DescribeLoadBalancerPoliciesCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
  paginateDescribeLoadBalancers as paginateClassic,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancerAttributesCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  type LoadBalancer as V2LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import { isUnknown, orUnknown } from '../unknown.ts';
import type { ElbLoadBalancersSnapshot, LoadBalancer } from './snapshot.ts';

/**
 * The lowest TLS version of a predefined ELB security policy, from its name: `…-TLS13-1-2-…`, `…-TLS-1-1-…`,
 * `…-FS-1-2-…` name their minimum; the older policies (`ELBSecurityPolicy-2016-08`, `-FS-2018-06`, `-2015-05`)
 * accept TLS 1.0. Source: "Security policies for your Application Load Balancer", ELB user guide.
 */
export function minTlsOfPolicy(name: string): string {
  const m = /-(?:TLS13|TLS|FS)-1-([0-3])(?:-|$)/.exec(name);
  return m ? `1.${m[1]}` : '1.0';
}

const secure = (protocol?: string) => protocol === 'HTTPS' || protocol === 'TLS';

const attributes = (list: { Key?: string; Value?: string }[] = []) =>
  Object.fromEntries(list.map((a) => [a.Key ?? '', a.Value ?? '']));

async function readV2(
  elb: ElasticLoadBalancingV2Client,
  waf: WAFV2Client,
  lb: V2LoadBalancer,
  gaps: { webAcls?: string },
): Promise<LoadBalancer> {
  const arn = lb.LoadBalancerArn ?? '';
  const alb = lb.Type === 'application';
  const [listeners, attrs, webAcl] = await Promise.all([
    all(paginateDescribeListeners({ client: elb }, { LoadBalancerArn: arn }), (p) => p.Listeners),
    elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
    alb ? orUnknown(waf.send(new GetWebACLForResourceCommand({ ResourceArn: arn }))) : undefined,
  ]);
  const a = attributes(attrs.Attributes);
  if (webAcl && isUnknown(webAcl)) gaps.webAcls = webAcl.unknown;
  return {
    id: arn,
    name: lb.LoadBalancerName ?? '',
    type: (lb.Type ?? 'application') as LoadBalancer['type'],
    scheme: lb.Scheme ?? 'internet-facing',
    listeners: listeners.map((l) => ({
      port: l.Port ?? 0,
      protocol: l.Protocol ?? '',
      // Only HTTPS and TLS listeners negotiate TLS (an emulator may report a policy on plain ones too).
      sslPolicy: secure(l.Protocol) ? (l.SslPolicy ?? null) : null,
      minTls: secure(l.Protocol) && l.SslPolicy ? minTlsOfPolicy(l.SslPolicy) : null,
      redirectsToHttps: (l.DefaultActions ?? []).some(
        (d) => d.Type === 'redirect' && d.RedirectConfig?.Protocol === 'HTTPS',
      ),
    })),
    accessLogs: a['access_logs.s3.enabled'] === 'true',
    deletionProtection: a['deletion_protection.enabled'] === 'true',
    dropInvalidHeaders: alb ? a['routing.http.drop_invalid_header_fields.enabled'] === 'true' : null,
    desyncMitigation: alb ? (a['routing.http.desync_mitigation_mode'] ?? 'defensive') : null,
    ...(webAcl && !isUnknown(webAcl) ? { webAcl: webAcl.WebACL?.ARN ?? null } : {}),
  };
}

/** The TLS versions a classic load balancer's negotiation policy enables (Protocol-TLSv1.x = true). */
async function classicMinTls(elb: ElasticLoadBalancingClient, name: string, policies: string[]) {
  if (policies.length === 0) return '1.0';
  const out = await elb.send(
    new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name, PolicyNames: policies }),
  );
  const on = (out.PolicyDescriptions ?? [])
    .flatMap((p) => p.PolicyAttributeDescriptions ?? [])
    .filter((a) => /^Protocol-TLSv1(\.\d)?$/.test(a.AttributeName ?? '') && a.AttributeValue === 'true')
    .map((a) => (a.AttributeName === 'Protocol-TLSv1' ? '1.0' : (a.AttributeName ?? '').slice(-3)));
  return on.sort()[0] ?? '1.0';
}

async function readClassic(
  elb: ElasticLoadBalancingClient,
  lb: LoadBalancerDescription,
): Promise<LoadBalancer> {
  const name = lb.LoadBalancerName ?? '';
  const attrs = await elb.send(new DescribeClassicAttributesCommand({ LoadBalancerName: name }));
  const listeners = await Promise.all(
    (lb.ListenerDescriptions ?? []).map(async ({ Listener: l, PolicyNames }) => {
      const secure = l?.Protocol === 'HTTPS' || l?.Protocol === 'SSL';
      return {
        port: l?.LoadBalancerPort ?? 0,
        protocol: l?.Protocol ?? '',
        sslPolicy: secure ? (PolicyNames?.[0] ?? null) : null,
        minTls: secure ? await classicMinTls(elb, name, PolicyNames ?? []) : null,
        redirectsToHttps: false,
      };
    }),
  );
  const additional = attributes(attrs.LoadBalancerAttributes?.AdditionalAttributes);
  return {
    id: name,
    name,
    type: 'classic',
    scheme: lb.Scheme ?? 'internet-facing',
    listeners,
    accessLogs: attrs.LoadBalancerAttributes?.AccessLog?.Enabled ?? false,
    deletionProtection: null,
    dropInvalidHeaders: null,
    desyncMitigation: additional['elb.http.desyncmitigationmode'] ?? null,
  };
}

export async function collect(session: AwsSession, scope: Scope): Promise<ElbLoadBalancersSnapshot> {
  const v2 = session.client(ElasticLoadBalancingV2Client, scope.region);
  const classic = session.client(ElasticLoadBalancingClient, scope.region);
  const waf = session.client(WAFV2Client, scope.region);
  const [modern, old] = await Promise.all([
    all(paginateDescribeLoadBalancers({ client: v2 }, {}), (p) => p.LoadBalancers),
    orUnknown(all(paginateClassic({ client: classic }, {}), (p) => p.LoadBalancerDescriptions)),
  ]);
  const limit = pLimit(8);
  const gaps: { webAcls?: string } = {};
  const loadBalancers = await Promise.all([
    ...modern.map((lb) => limit(() => readV2(v2, waf, lb, gaps))),
    ...(isUnknown(old) ? [] : old).map((lb) => limit(() => readClassic(classic, lb))),
  ]);
  return {
    loadBalancers,
    gaps: {
      ...(isUnknown(old) ? { classic: old.unknown } : {}),
      ...gaps,
    },
  };
}
