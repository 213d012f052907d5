/** Ports and processes for tests: everything on 127.0.0.1, everything closed after. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCgroup } from './cgroup-process.js';
import { captureOutput } from './captured-output.js';

/** A port that was free a moment ago (bound on 127.0.0.1, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SpawnedProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when `pattern` appears in stdout or stderr. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Variables the poller and the exporter read: a developer's own values (a real
 * DATABASE_URL, a Slack webhook, PORT) never reach a spawned test process.
 */
export const USER_VARIABLES = [
  'DATABASE_URL', 'PROBE_DATABASE_URL', 'SLACK_WEBHOOK_URL', 'PORT', 'RESOURCE_CHECK_INTERVAL', 'MONITOR_TARGETS',
  'STATUS_TOKEN', 'EXPORTER_BEARER_TOKEN', 'EXPORTER_SERVICE', 'EXPORTER_PORT', 'EXPORTER_DISK',
  'CHROMA_PRIMARY_HOST', 'CHROMA_REPLICA_HOST', 'CHROMA_LOAD_BALANCER_HOST', 'CHROMA_SYNC_HOST',
] as const;

/** process.env without USER_VARIABLES, with `env` on top: the environment of every spawned test process. */
export function testEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const name of USER_VARIABLES) delete clean[name];
  return { ...clean, ...env };
}

let emptyDir: string | null = null;
/** An empty directory of this test worker: the working directory of spawned processes, so none reads ./monitor.yaml or ./data of the checkout. */
export function emptyWorkDir(): string {
  emptyDir ??= mkdtempSync(join(tmpdir(), 'chroma-cwd-'));
  return emptyDir;
}

/** Where and how a spawned Node process runs beyond its script and arguments. */
export interface SpawnOptions {
  /** `cgroup.procs` files to enter before Node starts (test-support/cgroup-process.ts); none by default. */
  cgroupProcs?: readonly string[];
  /** Flags for node itself, before the script (e.g. `--expose-gc`). */
  nodeFlags?: readonly string[];
}

export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd: string = emptyWorkDir(), options: SpawnOptions = {}): SpawnedProcess {
  const [file, argv] = inCgroup(options.cgroupProcs ?? [], [process.execPath, ...(options.nodeFlags ?? []), script, ...args]);
  const child = spawn(file, argv, { cwd, env: testEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      captureOutput(output); // for the end-of-suite secret scan
      resolve(code);
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: (pattern, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in output:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!pattern.test(output)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${pattern}; output:\n${output}`));
          }
        });
        check();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
