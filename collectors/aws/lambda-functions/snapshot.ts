export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Condition?: unknown;
}

export interface LambdaFunction {
  readonly name: string;
  readonly arn: string;
  /** null for container-image functions (their runtime is in the image). */
  readonly runtime: string | null;
  readonly inVpc: boolean;
  /** Environment variable names that look like secrets (never values). */
  readonly secretEnvironmentNames: readonly string[];
  /** Encrypted with a customer-managed KMS key rather than the Lambda service key. */
  readonly environmentCustomerKey: boolean;
  readonly url: { readonly authType: string; readonly allowOrigins: readonly string[] } | null;
  /** The resource-based policy's statements; empty when the function has none. */
  readonly policy: readonly PolicyStatement[];
}

export interface LambdaFunctionsSnapshot {
  readonly functions: readonly LambdaFunction[];
}
