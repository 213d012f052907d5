/**
 * What a command needs from the outside world, injected so commands are
 * tested in-process with captured output, and run for real from cli.ts.
 */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The Render Secret File looked at when there is no ./monitor.yaml; null skips it. Default /etc/secrets/monitor.yaml. */
  secretConfigFile?: string | null;
}

/**
 * Exit codes: 0 success, 1 the work failed (bad config, cannot start, not
 * delivered), 2 usage error, 3 nothing to deliver to (`test-alert` without a
 * webhook and without --stdout).
 */
/** Interrupted: 128 + the signal's number, as shells report a process a signal ended (SIGINT 130, SIGTERM 143). */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, NotConfigured: 3, Interrupted: 130, Terminated: 143 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** How the README and every hint name the command: runnable as written after `npm ci`. */
export const COMMAND = 'npx chroma-monitor';

export const processIo = (): CommandIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
