export { loadConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions, type LoadedConfig } from './load-config.js';
export { formatProblems, describeConfig, secretsOf } from './describe-config.js';
export { applyEnvOverrides, expandEnv } from './env-overrides.js';
