import type { CheckContext } from '../../../core/collector.ts';
import { type AwsDetectionSettings, awsDetectionSchema } from '../../../core/config.ts';

const defaults = awsDetectionSchema.parse({});

/** `checks.aws.detection` as configured, else its defaults. */
export const detectionSettings = (context: CheckContext): AwsDetectionSettings =>
  context.settings?.aws.detection ?? defaults;
