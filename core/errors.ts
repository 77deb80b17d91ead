/**
 * The one base of the errors Proofline throws on purpose. Each names what is wrong in one line; the CLI prints
 * that line (no stack trace) and exits with the error's `exitCode`. Anything else that reaches the CLI is a
 * defect and keeps its stack.
 */

/**
 * Exit codes: 0 done; 1 error; 2 bad usage; 3 done, but some collections failed (recorded as error artifacts);
 * 4 verify-chain (or verify) found a problem; 5 verify found the archive intact but its signer unknown (no
 * --fingerprint or --public-key).
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  collectionErrors: 3,
  chainProblems: 4,
  signerUntrusted: 5,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ProoflineErrorOptions extends ErrorOptions {
  /** A stable, machine-readable code; by default the error's name (which error artifacts record). */
  readonly code?: string;
}

export class ProoflineError extends Error {
  /**
   * Whether the person running Proofline can fix it — their input, configuration, files or credentials —
   * rather than a system Proofline reads (an API failing or answering out of shape) or the evidence itself.
   */
  readonly userFixable: boolean = true;
  /** The CLI's exit code when this error ends a command. */
  readonly exitCode: ExitCode = EXIT.error;
  readonly #code: string | undefined;

  constructor(message: string, options: ProoflineErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.#code = options.code;
  }

  /** What kind of problem this is; recorded as the code of an error artifact when a collection throws it. */
  get code(): string {
    return this.#code ?? this.name;
  }
}

/** A command was called wrongly: an unknown value, a bad date, options that contradict each other. Exit 2. */
export class UsageError extends ProoflineError {
  override name = 'UsageError';
  override readonly exitCode: ExitCode = EXIT.usage;
}
