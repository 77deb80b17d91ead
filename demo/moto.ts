import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProoflineError } from '../core/errors.ts';

export const MOTO_INSTALL_HINT =
  'Install the AWS emulator with: pip install "moto[server]"  (then check that `moto_server --help` runs)';

export class MotoUnavailableError extends ProoflineError {
  override name = 'MotoUnavailableError';
}

export interface MotoServer {
  readonly endpoint: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts moto_server (a real AWS API emulator) on a free loopback port and waits until it answers. */
export async function startMoto(command = process.env.MOTO_SERVER ?? 'moto_server'): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Without its catalogue of public AMIs, the emulated account owns no snapshots it did not create (moto
    // attributes the AMIs' snapshots to the default account), as a fresh AWS account does.
    // A requested certificate stays PENDING_VALIDATION (moto would issue it 60 s after the request), so a
    // snapshot does not change with how long a run takes.
    env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: 'false', MOTO_ACM_VALIDATION_WAIT: '86400' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new MotoUnavailableError(
          error.code === 'ENOENT' ? `moto_server was not found. ${MOTO_INSTALL_HINT}` : error.message,
        ),
      ),
    );
    child.once('exit', (code) =>
      reject(new MotoUnavailableError(`moto_server exited with code ${code}: ${stderr.trim()}`)),
    );
  });
  failed.catch(() => {});
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new MotoUnavailableError(`moto_server did not answer on ${endpoint} within 20 s: ${stderr.trim()}`);
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.removeAllListeners('exit');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** Environment that points the AWS SDK's standard settings at an emulator, with throwaway credentials. */
export function emulatorEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
