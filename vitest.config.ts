import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; spawned CLIs run the built dist/.
    alias: {
      '@chroma-monitor/shared': src('./shared/src/index.ts'),
      '@chroma-monitor/exporter': src('./exporter/src/index.ts'),
    },
  },
  test: {
    include: ['test-support/**/*.test.ts', 'shared/test/**/*.test.ts', 'exporter/test/**/*.test.ts', 'poller/test/**/*.test.ts', 'e2e/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Everything printed during the suite is captured and scanned for secrets at the end.
    setupFiles: ['test-support/capture-setup.ts'],
    globalSetup: ['test-support/secret-scan.ts'],
  },
});
