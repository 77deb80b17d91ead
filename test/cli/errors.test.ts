import { describe, expect, it } from 'vitest';
import { reportFailure } from '../../cli/program.ts';
import { RemoteExportError } from '../../cli/remote-export.ts';
import { CredentialReportFormatError } from '../../collectors/aws/iam-credential-report/parse.ts';
import { AwsCredentialsError } from '../../collectors/aws/session.ts';
import { GitHubCredentialsError } from '../../collectors/github/session.ts';
import { IdentityMapError } from '../../collectors/identity/access-review/identity-map-file.ts';
import { IdentityApiError, MalformedResponseError } from '../../collectors/identity/api-error.ts';
import { CredentialsError } from '../../collectors/identity/credentials.ts';
import { OktaHttpError } from '../../collectors/identity/okta/session.ts';
import { CatalogError } from '../../controls/base.ts';
import { GovernanceError } from '../../controls/governance.ts';
import { ArchiveInputError } from '../../core/archive/period.ts';
import { IntegrityError } from '../../core/artifact.ts';
import { ChainError } from '../../core/digest-chain.ts';
import { EXIT, type ProoflineError, UsageError } from '../../core/errors.ts';
import { ExceptionError } from '../../core/exceptions.ts';
import { ManualEvidenceError } from '../../core/manual-evidence.ts';
import { SigningKeyError } from '../../core/signing.ts';
import { ApplicabilityError } from '../../core/soa.ts';
import { StoreNotFoundError } from '../../core/stores/local-store.ts';
import { StoreSpecError } from '../../core/stores/open.ts';
import { ConfigError } from '../../core/validate.ts';
import { MotoUnavailableError } from '../../demo/moto.ts';
import { ExportTooLargeError } from '../../functions/export.ts';
import { CollectorThrottled } from '../../functions/shared/failures.ts';

const report = (error: unknown) => {
  const lines: string[] = [];
  const code = reportFailure(error, (text) => lines.push(...text.split('\n')));
  return { code, lines };
};

const every: readonly ProoflineError[] = [
  new UsageError('m'),
  new ConfigError('m'),
  new CatalogError('m'),
  new GovernanceError('m'),
  new ApplicabilityError('m'),
  new ExceptionError('m'),
  new ManualEvidenceError('m'),
  new IntegrityError('m'),
  new ChainError('m'),
  new SigningKeyError('m'),
  new StoreSpecError('m'),
  new StoreNotFoundError('m'),
  new RemoteExportError('m'),
  new MotoUnavailableError('m'),
  new CredentialsError('m'),
  new GitHubCredentialsError('m'),
  new AwsCredentialsError(new Error('m')),
  // missing from the CLI's list of one-line errors before the base class
  new IdentityApiError('okta', 'listUsers', 500, 'm'),
  new MalformedResponseError('okta', 'listUsers', 'm'),
  new CredentialReportFormatError('m'),
  new ArchiveInputError('m'),
  new IdentityMapError('m'),
  new OktaHttpError(500, 'm'),
  new ExportTooLargeError('m'),
  new CollectorThrottled('m'),
];

describe('errors Proofline throws on purpose', () => {
  it.each(every.map((e) => [e.name, e] as const))(
    '%s is printed as one line, without a stack',
    (_, error) => {
      const { code, lines } = report(error);
      expect(lines).toEqual([`proofline: ${error.message}`]);
      expect(code).toBe(error.exitCode);
    },
  );

  it('bad usage exits 2, archive request input too; other errors exit 1', () => {
    expect(report(new UsageError('--to is before --from')).code).toBe(EXIT.usage);
    expect(report(new ArchiveInputError('unknown framework')).code).toBe(EXIT.usage);
    expect(report(new ConfigError('scope.aws: required')).code).toBe(EXIT.error);
    expect(report(new IntegrityError('altered')).code).toBe(EXIT.error);
  });

  it('records its name as its code unless it states one (error artifacts keep their codes)', () => {
    expect(new CredentialReportFormatError('m').code).toBe('CredentialReportFormatError');
    expect(new MalformedResponseError('okta', 'listUsers', 'm').code).toBe('MalformedResponse');
    expect(new IdentityApiError('okta', 'listUsers', 403, 'm').code).toBe('Forbidden');
    expect(new IdentityApiError('okta', 'listUsers', undefined, 'm').code).toBe('RequestFailed');
  });

  it("says whose it is to fix: the user's input and credentials, not a provider's failure or altered evidence", () => {
    expect(new ConfigError('m').userFixable).toBe(true);
    expect(new IdentityApiError('okta', 'listUsers', 401, 'm').userFixable).toBe(true);
    expect(new IdentityApiError('okta', 'listUsers', 503, 'm').userFixable).toBe(false);
    expect(new MalformedResponseError('okta', 'listUsers', 'm').userFixable).toBe(false);
    expect(new IntegrityError('m').userFixable).toBe(false);
  });

  it("the AWS SDK's missing-credentials error is one line too", () => {
    const e = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(report(e)).toEqual({ code: EXIT.error, lines: [`proofline: ${e.message}`] });
  });

  it('anything else is a defect: it keeps its stack', () => {
    const { code, lines } = report(new TypeError('cannot read properties of undefined'));
    expect(code).toBe(EXIT.error);
    expect(lines[0]).toBe('proofline: TypeError: cannot read properties of undefined');
    expect(lines.some((l) => l.trimStart().startsWith('at '))).toBe(true);
  });
});
