import { parse } from 'yaml';
import { ProoflineError } from '../../../core/errors.ts';
import { parseWith } from '../../../core/validate.ts';
import { accountKey, type IdentityMap, identityMapSchema } from './identity-map.ts';

// Apart from identity-map.ts so the collector (and every bundle of the registry) does not carry the YAML parser.

export class IdentityMapError extends ProoflineError {
  override name = 'IdentityMapError';
}

/** Parses and validates the identity map; every problem names the file and the entry. */
export function parseIdentityMap(text: string, file: string): IdentityMap {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new IdentityMapError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const map = parseWith(identityMapSchema, data, file, [], { error: IdentityMapError });
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const claim = (system: string, account: string, where: string) => {
    const k = accountKey(system, account);
    const previous = seen.get(k);
    if (previous) problems.push(`${where}: ${system} account "${account}" is already mapped at ${previous}`);
    else seen.set(k, where);
  };
  const emails = new Set<string>();
  map.people.forEach((person, i) => {
    if (emails.has(person.email)) problems.push(`people.${i}.email: ${person.email} is listed twice`);
    emails.add(person.email);
    for (const [system, accounts] of Object.entries(person.accounts))
      for (const account of accounts ?? []) claim(system, account, `people.${i} (${person.email})`);
  });
  map.serviceAccounts.forEach((s, i) => {
    claim(s.system, s.account, `serviceAccounts.${i}`);
  });
  if (problems.length) throw new IdentityMapError(`${file}: ${problems.join('; ')}`);
  return map;
}
