import { setTimeout as sleep } from 'node:timers/promises';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { type AwsSession, unlessMissing } from '../session.ts';
import { parseCredentialReport } from './parse.ts';
import type { CredentialReportSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession): Promise<CredentialReportSnapshot> {
  const iam = session.client(IAMClient);
  // The report is generated asynchronously; AWS reuses one younger than four hours.
  for (let attempt = 0; ; attempt++) {
    const { State } = await iam.send(new GenerateCredentialReportCommand({}));
    if (State === 'COMPLETE') break;
    if (attempt >= 30) throw new Error('credential report still not generated after 30 attempts');
    await sleep(Math.min(250 * 2 ** attempt, 2_000));
  }
  const report = await iam.send(new GetCredentialReportCommand({}));
  const csv = Buffer.from(report.Content ?? new Uint8Array()).toString('utf8');
  const policy = await unlessMissing(
    iam.send(new GetAccountPasswordPolicyCommand({})),
    'NoSuchEntity',
    'NoSuchEntityException',
  );
  const summary = await iam.send(new GetAccountSummaryCommand({}));
  const p = policy?.PasswordPolicy;
  return {
    reportGeneratedAt: report.GeneratedTime?.toISOString() ?? '',
    users: parseCredentialReport(csv),
    passwordPolicy: p
      ? {
          minimumPasswordLength: p.MinimumPasswordLength ?? 0,
          requireSymbols: p.RequireSymbols ?? false,
          requireNumbers: p.RequireNumbers ?? false,
          requireUppercaseCharacters: p.RequireUppercaseCharacters ?? false,
          requireLowercaseCharacters: p.RequireLowercaseCharacters ?? false,
          passwordReusePrevention: p.PasswordReusePrevention ?? null,
          maxPasswordAge: p.MaxPasswordAge ?? null,
        }
      : null,
    accountSummary: Object.fromEntries(
      Object.entries(summary.SummaryMap ?? {}).map(([k, v]) => [k, Number(v)]),
    ),
  };
}
