/**
 * Processes started inside a test's own cgroups (test-support/cgroup-sandbox.ts):
 * `sh` writes its pid into each cgroup.procs, then execs the command, so the
 * command runs in the cgroup from its first instruction.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { captureOutput } from './captured-output.js';

export interface CgroupProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

/**
 * The command line that runs `command` inside the cgroups whose
 * `cgroup.procs` files are given: `sh` moves itself, then execs the command,
 * so the process keeps the pid the caller sees. No files: the command as is.
 */
export function inCgroup(procsFiles: readonly string[], command: readonly string[]): [string, string[]] {
  if (procsFiles.length === 0) return [command[0]!, command.slice(1)];
  const moves = procsFiles.map((file) => `echo $$ > '${file}'`).join(' && ');
  return ['/bin/sh', ['-c', `${moves} && exec "$0" "$@"`, ...command]];
}

/** Starts `command` with its pid in every file of `procsFiles`. */
export function spawnInCgroup(procsFiles: string[], command: string[]): CgroupProcess {
  const [file, args] = inCgroup(procsFiles, command);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => captureOutput(output));
  return { child, output: () => output, exited };
}

/** Resolves when `pattern` appears in the process's output; rejects if it exits first or after 15 s. */
export async function waitForCgroupOutput(process: CgroupProcess, pattern: RegExp): Promise<void> {
  let done = false;
  void process.exited.then(() => (done = true));
  for (let i = 0; i < 300 && !pattern.test(process.output()); i++) {
    if (done) throw new Error(`process exited before ${pattern}: ${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!pattern.test(process.output())) throw new Error(`timed out waiting for ${pattern}: ${process.output()}`);
}

/** SIGKILL and wait (a cgroup with tasks cannot be removed). */
export async function stopCgroupProcess(process: CgroupProcess | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGKILL');
  await process.exited;
}
