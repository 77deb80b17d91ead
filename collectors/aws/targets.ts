import type { AnyCollector } from '../../core/collector.ts';
import type { CollectionTarget } from '../../core/pipeline.ts';
import type { AwsSession } from './session.ts';

/** One target per AWS collector × account, and per region for regional collectors. */
export async function awsTargets(
  session: AwsSession,
  collectors: readonly AnyCollector[],
  regions: readonly string[],
): Promise<CollectionTarget[]> {
  const account = await session.accountId();
  return collectors
    .filter((c) => c.source === 'aws')
    .flatMap((collector) =>
      collector.regional
        ? regions.map((region) => ({
            collector,
            scope: { source: 'aws' as const, id: account, region },
            session,
          }))
        : [{ collector, scope: { source: 'aws' as const, id: account }, session }],
    );
}
