import * as z from 'zod';
import { type CheckSettings, checkSettingsSchema } from '../../core/check-settings.ts';
import { type AlertsConfig, alertsSchema, ismsSchema } from '../../core/config.ts';
import { ENV } from '../../core/deployed.ts';
import { ConfigError, parseWith } from '../../core/validate.ts';

/** A JSON environment variable the stack sets, validated: a bad value stops the function with its name. */
function jsonEnv<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodType<T>): T | undefined {
  const text = env[name];
  if (!text) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`environment variable ${name} is not JSON`);
  }
  return parseWith(schema, data, `environment variable ${name}`);
}

/** The config's `checks` thresholds as the stack passes them; unset: every default. */
export const checkSettings = (env: NodeJS.ProcessEnv = process.env): CheckSettings | undefined =>
  jsonEnv(env, ENV.checkSettings, checkSettingsSchema);

const schedulesSchema = z.record(z.string().min(1), z.array(z.string().min(1)));

/**
 * Collector id → the schedule expression of the deployed group that runs it, where it is not the collector's
 * default (the stack passes expression → collector ids); unset: every collector's default.
 */
export function deployedSchedules(
  env: NodeJS.ProcessEnv = process.env,
): ReadonlyMap<string, string> | undefined {
  const schedules = jsonEnv(env, ENV.schedules, schedulesSchema);
  if (!schedules) return undefined;
  return new Map(Object.entries(schedules).flatMap(([expression, ids]) => ids.map((id) => [id, expression])));
}

/** The config's `alerts` settings (due days by severity) as the stack passes them; unset: the defaults. */
export function alertSettings(env: NodeJS.ProcessEnv = process.env): { dueDays?: AlertsConfig['dueDays'] } {
  const alerts = jsonEnv(env, ENV.alertSettings, alertsSchema);
  return alerts ? { dueDays: alerts.dueDays } : {};
}

/** The config's `isms` settings (the SoA approval's allowed age) as the stack passes them; unset: the defaults. */
export function ismsSettings(env: NodeJS.ProcessEnv = process.env): { soaMaxAgeDays?: number } {
  const isms = jsonEnv(env, ENV.ismsSettings, ismsSchema);
  return isms ? { soaMaxAgeDays: isms.soaMaxAgeDays } : {};
}
