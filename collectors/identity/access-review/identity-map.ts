import { parse } from 'yaml';
import { z } from 'zod';

/** Systems whose accounts the access review joins to people. */
export const SYSTEMS = ['okta', 'entra', 'google', 'identity-center', 'aws-iam', 'github'] as const;
export type ReviewSystem = (typeof SYSTEMS)[number];

const accountName = z.string().min(1, 'must not be empty');
const accountsSchema = z.partialRecord(z.enum(SYSTEMS), z.array(accountName).min(1));

const identityMapSchema = z.strictObject({
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

export class IdentityMapError extends Error {
  override name = 'IdentityMapError';
}

const key = (system: string, account: string) => `${system}:${account.toLowerCase()}`;

/** Parses and validates the identity map; every problem names the file and the entry. */
export function parseIdentityMap(text: string, file: string): IdentityMap {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new IdentityMapError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const result = identityMapSchema.safeParse(data);
  if (!result.success)
    throw new IdentityMapError(
      `${file}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const claim = (system: string, account: string, where: string) => {
    const k = key(system, account);
    const previous = seen.get(k);
    if (previous) problems.push(`${where}: ${system} account "${account}" is already mapped at ${previous}`);
    else seen.set(k, where);
  };
  const emails = new Set<string>();
  result.data.people.forEach((person, i) => {
    if (emails.has(person.email)) problems.push(`people.${i}.email: ${person.email} is listed twice`);
    emails.add(person.email);
    for (const [system, accounts] of Object.entries(person.accounts))
      for (const account of accounts ?? []) claim(system, account, `people.${i} (${person.email})`);
  });
  result.data.serviceAccounts.forEach((s, i) => {
    claim(s.system, s.account, `serviceAccounts.${i}`);
  });
  if (problems.length) throw new IdentityMapError(`${file}: ${problems.join('; ')}`);
  return result.data;
}

/** Lookups over a validated map. Account names compare case-insensitively. */
export function identityMapIndex(map: IdentityMap) {
  const people = new Map<string, string>();
  for (const person of map.people)
    for (const [system, accounts] of Object.entries(person.accounts))
      for (const account of accounts ?? []) people.set(key(system, account), person.email);
  const service = new Map(map.serviceAccounts.map((s) => [key(s.system, s.account), s] as const));
  return {
    personOf: (system: ReviewSystem, account: string) => people.get(key(system, account)),
    serviceAccount: (system: ReviewSystem, account: string) => service.get(key(system, account)),
  };
}
