export interface Certificate {
  readonly arn: string;
  readonly domain: string;
  /** ISSUED, PENDING_VALIDATION, EXPIRED, FAILED … */
  readonly status: string;
  /** AMAZON_ISSUED, IMPORTED, PRIVATE */
  readonly type: string;
  /** RSA_1024, RSA_2048, EC_prime256v1 … */
  readonly keyAlgorithm: string;
  readonly notAfter: string | null;
  /** Managed renewal status (PENDING_AUTO_RENEWAL, SUCCESS, FAILED …); null when not renewing. */
  readonly renewalStatus: string | null;
  readonly inUse: boolean;
  /** Whether ACM logs the certificate to public transparency logs; null for imported and private ones. */
  readonly transparencyLogging: boolean | null;
}

export interface AcmCertificatesSnapshot {
  readonly certificates: readonly Certificate[];
}
