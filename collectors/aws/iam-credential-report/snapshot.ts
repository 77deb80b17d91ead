/** One row of the IAM credential report, with "N/A" / "no_information" / "not_supported" as null. */
export interface CredentialReportUser {
  readonly user: string;
  readonly arn: string;
  readonly userCreationTime: string;
  readonly passwordEnabled: boolean;
  readonly passwordLastUsed: string | null;
  readonly passwordLastChanged: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly AccessKeyInfo[];
}

export interface AccessKeyInfo {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated: string | null;
  readonly lastUsed: string | null;
}

export interface PasswordPolicy {
  readonly minimumPasswordLength: number;
  readonly requireSymbols: boolean;
  readonly requireNumbers: boolean;
  readonly requireUppercaseCharacters: boolean;
  readonly requireLowercaseCharacters: boolean;
  readonly passwordReusePrevention: number | null;
  readonly maxPasswordAge: number | null;
}

export interface CredentialReportSnapshot {
  readonly reportGeneratedAt: string;
  readonly users: readonly CredentialReportUser[];
  /** null when the account has no password policy (AWS defaults apply). */
  readonly passwordPolicy: PasswordPolicy | null;
  readonly accountSummary: Readonly<Record<string, number>>;
}
