import { afterAll, beforeAll, describe, inject } from 'vitest';
import { emulatorEnv } from '../../demo/moto.ts';

/** The moto endpoint; test files that need it use `describeAws`. */
export const motoEndpoint = (): string => inject('motoEndpoint');

/**
 * A describe block that runs against moto_server, with the SDK's standard environment pointed at it.
 * Skipped only when moto_server is not installed and CI is unset (the global setup says so loudly).
 */
export function describeAws(name: string, body: () => void): void {
  const endpoint = motoEndpoint();
  describe.skipIf(!endpoint)(name, () => {
    const saved: Record<string, string | undefined> = {};
    beforeAll(() => {
      for (const [key, value] of Object.entries(emulatorEnv(endpoint))) {
        saved[key] = process.env[key];
        process.env[key] = value;
      }
    });
    afterAll(() => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    body();
  });
}

export const awsConfig = () => ({
  region: 'us-east-1',
  endpoint: motoEndpoint(),
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
