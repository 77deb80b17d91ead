import {
  BackupClient,
  type Condition,
  type ConditionParameter,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  paginateListBackupPlans,
  paginateListBackupSelections,
  paginateListBackupVaults,
  paginateListProtectedResources,
  paginateListRestoreTestingPlans,
} from '@aws-sdk/client-backup';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { keyManagers } from '../key-managers.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import { orUnknown } from '../unknown.ts';
import type { BackupPlanSnapshot, BackupSelectionSnapshot, BackupSnapshot } from './snapshot.ts';

const TAG_CONDITION = 'aws:ResourceTag/';

/** The StringEquals tag conditions of a selection, from both its ListOfTags and its Conditions. */
const tagConditions = (listOfTags: Condition[] = [], stringEquals: ConditionParameter[] = []) => [
  ...listOfTags
    .filter((c) => c.ConditionType === 'STRINGEQUALS')
    .map((c) => ({ key: c.ConditionKey ?? '', value: c.ConditionValue ?? '' })),
  ...stringEquals
    .filter((c) => c.ConditionKey?.startsWith(TAG_CONDITION))
    .map((c) => ({ key: (c.ConditionKey ?? '').slice(TAG_CONDITION.length), value: c.ConditionValue ?? '' })),
];

export async function collect(session: AwsSession, scope: Scope): Promise<BackupSnapshot> {
  const backup = session.client(BackupClient, scope.region);
  const client = { client: backup };
  const limit = pLimit(4);
  const [planList, vaultList, protectedResources, restoreTestingPlans] = await Promise.all([
    all(paginateListBackupPlans(client, {}), (p) => p.BackupPlansList),
    all(paginateListBackupVaults(client, {}), (p) => p.BackupVaultList),
    orUnknown(
      all(paginateListProtectedResources(client, {}), (p) => p.Results),
      (list) =>
        list.map((r) => ({
          arn: r.ResourceArn ?? '',
          type: r.ResourceType ?? '',
          lastBackupTime: r.LastBackupTime?.toISOString() ?? null,
        })),
    ),
    orUnknown(
      all(paginateListRestoreTestingPlans(client, {}), (p) => p.RestoreTestingPlans),
      (list) =>
        list.map((r) => ({
          name: r.RestoreTestingPlanName ?? '',
          arn: r.RestoreTestingPlanArn ?? '',
          schedule: r.ScheduleExpression ?? '',
          lastExecutionTime: r.LastExecutionTime?.toISOString() ?? null,
        })),
    ),
  ]);

  const plans = await Promise.all(
    planList.map((p) =>
      limit(async (): Promise<BackupPlanSnapshot> => {
        const id = p.BackupPlanId ?? '';
        const rules = await orUnknown(backup.send(new GetBackupPlanCommand({ BackupPlanId: id })), (plan) =>
          (plan.BackupPlan?.Rules ?? []).map((r) => ({
            name: r.RuleName ?? '',
            vault: r.TargetBackupVaultName ?? '',
            schedule: r.ScheduleExpression ?? null,
            deleteAfterDays: r.Lifecycle?.DeleteAfterDays ?? null,
          })),
        );
        const selections = await orUnknown(
          all(
            paginateListBackupSelections(client, { BackupPlanId: id }),
            (page) => page.BackupSelectionsList,
          ).then((list) =>
            Promise.all(
              list.map(async (s): Promise<BackupSelectionSnapshot> => {
                const { BackupSelection: selection } = await backup.send(
                  new GetBackupSelectionCommand({ BackupPlanId: id, SelectionId: s.SelectionId }),
                );
                return {
                  name: selection?.SelectionName ?? s.SelectionName ?? '',
                  resources: selection?.Resources ?? [],
                  tags: tagConditions(selection?.ListOfTags, selection?.Conditions?.StringEquals),
                };
              }),
            ),
          ),
        );
        return {
          id,
          arn: p.BackupPlanArn ?? id,
          name: p.BackupPlanName ?? id,
          rules,
          selections,
        };
      }),
    ),
  );

  const managers = await keyManagers(
    session,
    scope.region,
    vaultList.map((v) => v.EncryptionKeyArn),
  );
  return {
    plans,
    vaults: vaultList.map((v) => ({
      name: v.BackupVaultName ?? '',
      arn: v.BackupVaultArn ?? v.BackupVaultName ?? '',
      keyArn: v.EncryptionKeyArn ?? null,
      keyManager: v.EncryptionKeyArn ? (managers.get(v.EncryptionKeyArn) ?? null) : null,
      locked: v.Locked ?? false,
      minRetentionDays: v.MinRetentionDays ?? null,
    })),
    protectedResources,
    restoreTestingPlans,
  };
}
