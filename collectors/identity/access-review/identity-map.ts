import * as z from 'zod';

/** Systems whose accounts the access review joins to people. */
export const SYSTEMS = ['okta', 'entra', 'google', 'identity-center', 'aws-iam', 'github'] as const;
export type ReviewSystem = (typeof SYSTEMS)[number];

const accountName = z.string().min(1, 'must not be empty');
const accountsSchema = z.partialRecord(z.enum(SYSTEMS), z.array(accountName).min(1));

export const identityMapSchema = z.strictObject({
  /** People whose accounts in some system carry no e-mail address (IAM users, GitHub logins). */
  people: z
    .array(
      z.strictObject({
        email: z.email('must be an e-mail address').transform((e) => e.toLowerCase()),
        accounts: accountsSchema,
      }),
    )
    .default([]),
  /** Accounts that belong to no person (automation): reviewed, never reported as orphaned. */
  serviceAccounts: z
    .array(
      z.strictObject({
        system: z.enum(SYSTEMS),
        account: accountName,
        owner: z.string().min(1, 'a service account needs an owner'),
        purpose: z.string().min(1, 'say what the service account is for'),
      }),
    )
    .default([]),
});
export type IdentityMap = z.infer<typeof identityMapSchema>;

export const EMPTY_IDENTITY_MAP: IdentityMap = { people: [], serviceAccounts: [] };

/** How the map compares accounts: per system, case-insensitively. */
export const accountKey = (system: string, account: string) => `${system}:${account.toLowerCase()}`;

/** Lookups over a validated map. Account names compare case-insensitively. */
export function identityMapIndex(map: IdentityMap) {
  const people = new Map<string, string>();
  for (const person of map.people)
    for (const [system, accounts] of Object.entries(person.accounts))
      for (const account of accounts ?? []) people.set(accountKey(system, account), person.email);
  const service = new Map(map.serviceAccounts.map((s) => [accountKey(s.system, s.account), s] as const));
  return {
    personOf: (system: ReviewSystem, account: string) => people.get(accountKey(system, account)),
    serviceAccount: (system: ReviewSystem, account: string) => service.get(accountKey(system, account)),
  };
}
