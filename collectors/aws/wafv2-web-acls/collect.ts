import {
  GetWebACLCommand,
  ListLoggingConfigurationsCommand,
  ListWebACLsCommand,
  WAFV2Client,
  type WebACLSummary,
} from '@aws-sdk/client-wafv2';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import type { Wafv2WebAclsSnapshot } from './snapshot.ts';

/** WAFv2 list calls page with NextMarker and have no SDK paginator. */
async function marked<T>(page: (NextMarker?: string) => Promise<{ NextMarker?: string; items?: T[] }>) {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const { NextMarker, items } = await page(marker);
    out.push(...(items ?? []));
    marker = items?.length ? NextMarker : undefined;
  } while (marker);
  return out;
}

export const listWebAcls = (waf: WAFV2Client) =>
  marked<WebACLSummary>(async (NextMarker) => {
    const out = await waf.send(new ListWebACLsCommand({ Scope: 'REGIONAL', NextMarker, Limit: 100 }));
    return { NextMarker: out.NextMarker, items: out.WebACLs };
  });

export async function collect(session: AwsSession, scope: Scope): Promise<Wafv2WebAclsSnapshot> {
  const waf = session.client(WAFV2Client, scope.region);
  const [acls, logging] = await Promise.all([
    listWebAcls(waf),
    marked(async (NextMarker) => {
      const out = await waf.send(
        new ListLoggingConfigurationsCommand({ Scope: 'REGIONAL', NextMarker, Limit: 100 }),
      );
      return { NextMarker: out.NextMarker, items: out.LoggingConfigurations };
    }),
  ]);
  const limit = pLimit(8);
  return {
    webAcls: await Promise.all(
      acls.map((a) =>
        limit(async () => {
          const { WebACL } = await waf.send(
            new GetWebACLCommand({ Scope: 'REGIONAL', Name: a.Name, Id: a.Id }),
          );
          return {
            arn: a.ARN ?? '',
            name: a.Name ?? '',
            rules: WebACL?.Rules?.length ?? 0,
            defaultAction: WebACL?.DefaultAction?.Block ? ('block' as const) : ('allow' as const),
            loggingDestinations: logging
              .filter((l) => l.ResourceArn === a.ARN)
              .flatMap((l) => l.LogDestinationConfigs ?? []),
          };
        }),
      ),
    ),
  };
}
