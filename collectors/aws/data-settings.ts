import { type AwsDataSettings, settingsOf } from '../../core/check-settings.ts';
import type { Check, CheckContext } from '../../core/collector.ts';

/** The `checks.aws.data` thresholds in force for a check. */
export const dataSettings = (context: CheckContext): AwsDataSettings => settingsOf(context).aws.data;

type Switch = {
  [K in keyof AwsDataSettings]-?: AwsDataSettings[K] extends boolean ? K : never;
}[keyof AwsDataSettings];

/**
 * A check applied only when a `checks.aws.data` switch is on; otherwise it records one not_applicable finding
 * naming the switch, so the choice not to require it is on record.
 */
export function onlyWhen<S>(setting: Switch, check: Check<S>): Check<S> {
  return {
    ...check,
    evaluate(snapshot, context) {
      if (dataSettings(context)[setting]) return check.evaluate(snapshot, context);
      const reason = `not required by the configuration (checks.aws.data.${setting} is false)`;
      return [{ check: check.id, resource: context.scope.id, status: 'not_applicable', reason }];
    },
  };
}
