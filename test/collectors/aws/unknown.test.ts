import { describe, expect, it } from 'vitest';
import { publicStatements } from '../../../collectors/aws/shared/policy-document.ts';
import { isUnknown, orUnknown } from '../../../collectors/aws/unknown.ts';

/** An error shaped as the AWS SDK v3 throws it: a service exception carries `$fault`, a parse failure does not. */
const sdkError = (name: string, status: number, message: string, fault?: 'client' | 'server') =>
  Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
    ...(fault ? { $fault: fault } : {}),
  });

describe('orUnknown', () => {
  it('resolves to the value, mapped when a map is given, from a promise or a function', async () => {
    expect(await orUnknown(Promise.resolve(2))).toBe(2);
    expect(await orUnknown(Promise.resolve(2), (n) => n * 10)).toBe(20);
    expect(await orUnknown(async () => 'read in steps')).toBe('read in steps');
  });

  it("names a service's error by code, status and the first line of its message", async () => {
    const refused = sdkError('AccessDeniedException', 403, 'User is not authorized\nsecond line', 'client');
    expect(await orUnknown(Promise.reject(refused))).toEqual({
      unknown: 'AccessDeniedException (HTTP 403): User is not authorized',
    });
  });

  it('keeps only code and status when the SDK could not parse the answer (an HTML error page)', async () => {
    const unparsed = sdkError('SyntaxError', 404, `Unexpected token '<', "<!doctype "... is not valid JSON`);
    const result = await orUnknown(() => Promise.reject(unparsed));
    expect(result).toEqual({ unknown: 'SyntaxError (HTTP 404)' });
    expect(isUnknown(result)).toBe(true);
  });
});

describe('publicStatements', () => {
  it('names the statements allowing everyone without a condition, by Sid or by position', () => {
    const policy = {
      Statement: [
        { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' },
        { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] }, Action: '*' },
        {
          Sid: 'OrgOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } },
        },
        { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: '*' },
        { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: '*' },
      ],
    };
    expect(publicStatements(policy)).toEqual(['Open', 'statement 2']);
    expect(publicStatements(null)).toEqual([]);
    expect(publicStatements({ Statement: { Effect: 'Allow', Principal: { AWS: '*' } } })).toEqual([
      'statement 1',
    ]);
  });
});
