export { loadConfig, DEFAULT_CONFIG_FILE, SECRET_CONFIG_FILE, type LoadConfigOptions, type LoadedConfig } from './load-config.js';
export { formatProblems, describeConfig, secretsOf } from './describe-config.js';
export { applyEnvOverrides } from './env-overrides.js';
export { expandEnv, expandString, emptyReport, unsetProblems, type ExpansionReport } from './expand-env.js';
export { targetsFromEnv, TARGETS_VARIABLE, STACK_PRESET, STACK_SERVICES, STACK_EXPORTER_PORT, PROBE_PATH } from './env-targets.js';
export { preflightProblems, loadCatalog, type PreflightContext } from './preflight.js';
