import * as z from 'zod';
import type { SourceConnector } from '../sources.ts';
import { AwsSession } from './session.ts';

const awsScopeSchema = z.strictObject({
  /** Regions for regional collectors. Default: AWS_REGION, else us-east-1. */
  regions: z
    .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name like eu-west-1'))
    .min(1)
    .optional(),
});
export type AwsScopeConfig = z.infer<typeof awsScopeSchema>;

/** The account the credentials belong to: one target per collector, and per region for regional collectors. */
export const awsConnector: SourceConnector<AwsScopeConfig> = {
  source: 'aws',
  schema: awsScopeSchema,
  missing: () => undefined, // credentials come from the standard chain; a missing one fails with a clear error
  async targets(collectors, config, options) {
    const regions = options.regions?.length
      ? options.regions
      : (config?.regions ?? [options.env.AWS_REGION ?? options.env.AWS_DEFAULT_REGION ?? 'us-east-1']);
    const session = new AwsSession({
      homeRegion: regions[0],
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    });
    const account = await session.accountId();
    return collectors.flatMap((collector) =>
      collector.regional
        ? regions.map((region) => ({
            collector,
            scope: { source: 'aws' as const, id: account, region },
            session,
          }))
        : [{ collector, scope: { source: 'aws' as const, id: account }, session }],
    );
  },
};
