import { type AwsDetectionSettings, settingsOf } from '../../../core/check-settings.ts';
import type { CheckContext } from '../../../core/collector.ts';

/** `checks.aws.detection` as configured, else its defaults. */
export const detectionSettings = (context: CheckContext): AwsDetectionSettings =>
  settingsOf(context).aws.detection;
