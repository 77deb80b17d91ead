import { describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { collectorPolicy } from '../../core/permissions.ts';

// Read-only verbs; GenerateCredentialReport only asks IAM to build the read-only report; API Gateway's IAM
// actions are HTTP verbs, and GET is its read.
const READ_ONLY =
  /^([a-z0-9-]+:(Get|List|Describe|Search|BatchGet|GenerateCredentialReport$)|apigateway:GET$)/;

describe('collector permissions', () => {
  it('every AWS collector declares only read-only actions', () => {
    for (const c of collectors.filter((c) => c.source === 'aws')) {
      expect(c.permissions.length, c.id).toBeGreaterThan(0);
      for (const action of c.permissions) expect(action, `${c.id} declares ${action}`).toMatch(READ_ONLY);
    }
  });

  it('the generated policy allows exactly the declared actions, deduplicated', () => {
    const policy = collectorPolicy(collectors);
    const declared = new Set(collectors.filter((c) => c.source === 'aws').flatMap((c) => c.permissions));
    expect(policy.Statement[0]?.Action).toEqual([...declared].sort());
    expect(policy.Statement[0]?.Action).not.toContain('*');
  });
});
