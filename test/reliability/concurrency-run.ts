/**
 * CLI processes run at once on one embedded store, fed by the GitHub stand-in: the harness of
 * test/reliability/concurrency.test.ts. Each process gets its own fixed clock (libfaketime, when installed), so
 * the artifacts and transitions it records can be told apart afterwards while the processes really overlap.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEMO_GITHUB_TOKEN } from '../../demo/seed-github.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FAKETIME_LIB = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
].find(existsSync);

/** Whether processes can be given their own clock (the tests that need one skip without it). */
export const HAS_FAKETIME = FAKETIME_LIB !== undefined;

export interface ProcessRun {
  readonly args: readonly string[];
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The CLI as its own process, its clock starting at `at`; `onErr` sees its standard error as it grows. */
export function cliProcess(
  args: readonly string[],
  at?: Date,
  onErr: (text: string) => void = () => {},
): Promise<ProcessRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_TOKEN: DEMO_GITHUB_TOKEN, TZ: 'UTC' };
  if (FAKETIME_LIB && at) {
    env.LD_PRELOAD = FAKETIME_LIB;
    env.FAKETIME = `@${at.toISOString().slice(0, 19).replace('T', ' ')}`;
    env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
  } else {
    delete env.LD_PRELOAD;
    delete env.FAKETIME;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/proofline.ts', ...args], {
      cwd: ROOT,
      env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      onErr(err);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ args, code: code ?? (signal ? 128 : 1), out, err }));
  });
}

export interface Gate {
  readonly url: string;
  /** Resolves once a request matching each of the gate's patterns is being held. */
  holding(): Promise<void>;
  /** Lets every held request (and every later one) through. */
  open(): void;
  stop(): Promise<void>;
}

/**
 * A proxy in front of `target` that holds the requests whose path matches one of `patterns` until `open()`: a
 * collection can be stopped mid-run, its store open and its other collections written, while another process
 * runs.
 */
export async function gateProxy(target: string, patterns: readonly RegExp[]): Promise<Gate> {
  let opened = false;
  const waiting: (() => void)[] = [];
  const matched = new Set<RegExp>();
  let whenHolding: () => void = () => {};
  const holding = new Promise<void>((resolve) => (whenHolding = resolve));
  const server = createServer((req, res) => {
    const forward = () => {
      const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    const pattern = patterns.find((p) => p.test(req.url ?? ''));
    if (opened || !pattern) return forward();
    waiting.push(forward);
    matched.add(pattern);
    if (matched.size === patterns.length) whenHolding();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding: () => holding,
    open() {
      opened = true;
      for (const forward of waiting.splice(0)) forward();
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
