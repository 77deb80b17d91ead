import {
  type AwsDetectionSettings,
  awsDetectionSchema,
  type CheckSettings,
  DEFAULT_CHECK_SETTINGS,
} from '../../../core/check-settings.ts';
import type { CheckContext } from '../../../core/collector.ts';

/** Fixture clock: every age is relative to it, so the fixtures hold on any day. */
export const asOf = new Date();
export const context: CheckContext = {
  asOf,
  scope: { source: 'aws', id: '111122223333', region: 'eu-west-1' },
};
export const globalContext: CheckContext = { asOf, scope: { source: 'aws', id: '111122223333' } };
export const daysBefore = (days: number): string =>
  new Date(asOf.getTime() - days * 86_400_000).toISOString();
/** The checks section with these detection thresholds (the rest defaults). */
export const at = (detection: Partial<AwsDetectionSettings>): CheckSettings => ({
  aws: { ...DEFAULT_CHECK_SETTINGS.aws, detection: awsDetectionSchema.parse(detection) },
});
