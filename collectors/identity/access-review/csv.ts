import { csvText } from '../../../core/csv.ts';
import { adminsWithoutMfa, orphanedAccounts } from './review.ts';
import type { AccessReviewSnapshot } from './snapshot.ts';

export const CSV_COLUMNS = [
  'person',
  'idp_status',
  'system',
  'scope',
  'account',
  'account_status',
  'active',
  'admin',
  'access',
  'mfa',
  'last_activity',
  'matched_by',
  'flags',
] as const;

const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

/** Who has what, per system: one row per account, for the periodic access review. */
export function accessReviewCsv(s: AccessReviewSnapshot): string {
  const idp = new Map(s.people.map((p) => [p.email, p.idpStatus]));
  const orphaned = new Map(orphanedAccounts(s).map((o) => [`${o.system}:${o.scope}:${o.account}`, o]));
  const noMfa = new Set(adminsWithoutMfa(s).flatMap((a) => a.withoutMfa.map((w) => `${a.who}|${w}`)));
  const rows = s.accounts.map((a) => {
    const flags = [
      orphaned.has(`${a.system}:${a.scope}:${a.account}`) && 'ORPHANED',
      noMfa.has(`${a.person ?? `${a.system}:${a.scope}:${a.account}`}|${a.system} ${a.account}`) &&
        'ADMIN WITHOUT MFA',
      a.serviceAccount && `service account (owner ${a.serviceAccount.owner}: ${a.serviceAccount.purpose})`,
    ].filter((f): f is string => typeof f === 'string');
    return [
      a.person ?? '',
      a.person ? (idp.get(a.person) ?? '') : '',
      a.system,
      a.scope,
      a.account,
      a.status,
      yesNo(a.active),
      yesNo(a.admin),
      a.access.join('; '),
      yesNo(a.mfa),
      a.lastActivity ?? '',
      a.matchedBy,
      flags.join('; '),
    ];
  });
  return csvText(CSV_COLUMNS, rows);
}
