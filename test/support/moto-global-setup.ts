import type { TestProject } from 'vitest/node';
import { MOTO_INSTALL_HINT, type MotoServer, startMoto } from '../../demo/moto.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto_server's endpoint, or '' when it is not installed (tests that need it are then skipped, loudly). */
    motoEndpoint: string;
  }
}

/**
 * Starts one moto_server for the run. Each test file resets it before it starts (moto-file-setup.ts).
 * Without moto_server a local run skips the AWS tests with a loud message; under CI it is a failure.
 */
export default async function setup(project: TestProject) {
  let moto: MotoServer | undefined;
  try {
    moto = await startMoto();
  } catch (error) {
    const message = `moto_server is unavailable: ${(error as Error).message}\n${MOTO_INSTALL_HINT}`;
    if (process.env.CI) throw new Error(`${message}\nCI is set, so the AWS integration tests must run.`);
    process.stderr.write(
      `\n${'!'.repeat(100)}\n!! SKIPPING the AWS integration tests: ${message}\n${'!'.repeat(100)}\n\n`,
    );
  }
  project.provide('motoEndpoint', moto?.endpoint ?? '');
  return async () => {
    await moto?.stop();
  };
}
