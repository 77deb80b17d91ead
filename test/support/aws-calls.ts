import { createRequire } from 'node:module';

/** One AWS SDK call a piece of code made, as the SDK's middleware saw it. */
export interface AwsCall {
  /** The client, without `Client`: `S3`, `S3Control`, `DynamoDB`, `KMS`… */
  readonly client: string;
  /** The operation, without `Command`: `PutObject`. */
  readonly command: string;
  /** The SigV4 signing name (the IAM service prefix for every client we use): `s3`, `dynamodb`, `sts`… */
  readonly service: string;
  readonly region: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** The access key the request was signed with: tells the function's own role from an assumed role. */
  readonly accessKeyId: string;
  /** Signed into a presigned URL rather than sent (the URL's holder makes the request). */
  presigned: boolean;
  /** The error the call ended with, if any (a denied or missing resource is still a call that was made). */
  error?: string;
}

interface SmithyClient {
  config: { region?: () => Promise<string> };
  middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; name: string; override?: boolean }): void;
  };
}
type Send = (this: SmithyClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;
type HandlerContext = {
  clientName?: string;
  commandName?: string;
  __smithy_context?: {
    selectedHttpAuthScheme?: {
      identity?: { accessKeyId?: string };
      httpAuthOption?: { signingProperties?: { name?: string } };
    };
  };
  signing_service?: string;
};

// Every SDK v3 client extends this one class (the package's CommonJS build, which Node loads for all clients).
const { Client } = createRequire(import.meta.url)('@smithy/core/client') as {
  Client: { prototype: { send: Send } };
};

/**
 * Records every AWS SDK call made while it is started — by any client, however deep in the code it was
 * created — through a middleware each client gets before its first call. The middleware sits in the build
 * step, after the credentials were resolved, so each call carries the access key it is signed with.
 */
export class AwsCallRecorder {
  readonly calls: AwsCall[] = [];
  /** Access key id → the role ARN it was obtained for (from the AssumeRole calls recorded). */
  readonly assumed = new Map<string, string>();
  private original?: Send;
  private readonly equipped = new WeakSet<object>();

  start(): this {
    if (this.original) return this;
    const original = Client.prototype.send;
    this.original = original;
    const recorder = this;
    Client.prototype.send = function (this: SmithyClient, command, ...rest) {
      if (!recorder.equipped.has(this)) {
        recorder.equipped.add(this);
        this.middlewareStack.add(recorder.middleware(this), {
          step: 'build',
          name: 'prooflineCallRecorder',
          override: true,
        });
      }
      return original.call(this, command, ...rest);
    };
    return this;
  }

  stop(): void {
    if (this.original) Client.prototype.send = this.original;
    this.original = undefined;
  }

  /** The calls `run` makes (calls are recorded in the order they start). */
  async during<T>(run: () => Promise<T>): Promise<{ result: T; calls: AwsCall[] }> {
    const from = this.calls.length;
    const result = await run();
    return { result, calls: this.calls.slice(from) };
  }

  private middleware(client: SmithyClient) {
    return (
      next: (args: unknown) => Promise<{ output?: Record<string, unknown> }>,
      context: HandlerContext,
    ) =>
      async (args: { input?: Record<string, unknown> }) => {
        const scheme = context.__smithy_context?.selectedHttpAuthScheme;
        const call: AwsCall = {
          client: (context.clientName ?? 'Unknown').replace(/Client$/, ''),
          command: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
          service: scheme?.httpAuthOption?.signingProperties?.name ?? context.signing_service ?? 'unknown',
          region: (await client.config.region?.()) ?? 'unknown',
          input: args.input ?? {},
          accessKeyId: scheme?.identity?.accessKeyId ?? '',
          presigned: false,
        };
        this.calls.push(call);
        try {
          const result = await next(args);
          call.presigned = Boolean(result.output?.presigned);
          const credentials = result.output?.Credentials as { AccessKeyId?: string } | undefined;
          if (call.command === 'AssumeRole' && credentials?.AccessKeyId)
            this.assumed.set(credentials.AccessKeyId, String(call.input.RoleArn));
          return result;
        } catch (error) {
          call.error = (error as Error).name;
          throw error;
        }
      };
  }
}
