import { type Check, finding } from '../../../core/collector.ts';
import type { Scope } from '../../../core/model.ts';
import type { ConfigRecorderSnapshot } from './snapshot.ts';

const recorderResource = (scope: Scope) =>
  `arn:aws:config:${scope.region}:${scope.id}:configuration-recorder`;

export const recorderOn: Check<ConfigRecorderSnapshot> = {
  id: 'aws.config.recorder-on',
  title: 'AWS Config is recording in every region in scope',
  severity: 'high',
  procedure:
    'Reads the configuration recorders and their status in each region in scope. Passes when a recorder is recording in the region; fails when it is stopped or missing.',
  remediation:
    'Create a configuration recorder and start it (aws configservice start-configuration-recorder).',
  evaluate(s, { scope }) {
    const on = s.recorders.find((r) => r.recording);
    const reason = on
      ? `recorder ${on.name} is recording`
      : s.recorders.length
        ? 'the recorder is stopped'
        : 'no configuration recorder';
    return [finding(this.id, recorderResource(scope), !!on, `${reason} in ${scope.region}`)];
  },
};

export const allResourceTypes: Check<ConfigRecorderSnapshot> = {
  id: 'aws.config.all-resource-types',
  title: 'AWS Config records all supported resource types',
  severity: 'medium',
  procedure:
    'Reads the recording group of the configuration recorders in each region in scope. Passes when a recorder records all supported resource types; fails when it records only selected types or none.',
  remediation: 'Set the recording group to all supported resource types.',
  evaluate(s, { scope }) {
    const all = s.recorders.some((r) => r.allSupported);
    return [
      finding(
        this.id,
        recorderResource(scope),
        all,
        all
          ? 'records all supported types'
          : `recorder in ${scope.region} records only selected types, or none`,
      ),
    ];
  },
};

export const deliveryChannel: Check<ConfigRecorderSnapshot> = {
  id: 'aws.config.delivery-channel',
  title: 'AWS Config has a delivery channel',
  severity: 'medium',
  procedure:
    'Reads the delivery channels in each region in scope (DescribeDeliveryChannels). Passes when one delivers to an S3 bucket; fails when there is none.',
  remediation: 'Create a delivery channel to an S3 bucket so configuration history is kept.',
  evaluate(s, { scope }) {
    const channel = s.deliveryChannels[0];
    return [
      finding(
        this.id,
        `arn:aws:config:${scope.region}:${scope.id}:delivery-channel`,
        !!channel,
        channel ? `delivers to ${channel.s3BucketName}` : `no delivery channel in ${scope.region}`,
      ),
    ];
  },
};

export const checks = [recorderOn, allResourceTypes, deliveryChannel];
