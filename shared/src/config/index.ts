export { parseConfig, type ParseConfigOptions } from './parse-config.js';
export { DEFAULTS, SERVICE_NAME_PATTERN } from './defaults.js';
export { databaseUrlProblem } from './url-rules.js';
