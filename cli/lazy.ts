/**
 * A command's action that loads its implementation when the command runs: `--help` and the other commands
 * start without that module and its dependencies (zip, CSV, archive verification…). `load` is
 * `() => import('./x.ts')`; the implementation `name` takes `env` and then commander's arguments.
 */
export const lazy =
  <E, K extends string, M extends { [k in K]: (env: E, ...args: never[]) => unknown }>(
    load: () => Promise<M>,
    name: K,
    env: E,
  ) =>
  async (...args: unknown[]): Promise<void> => {
    const run = (await load())[name] as unknown as (env: E, ...args: unknown[]) => unknown;
    await run(env, ...args);
  };
