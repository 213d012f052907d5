export { buildSlackMessage, buildGroupedSlackMessage, formatPlainAlert, renderAlerts, GROUP_LINES, type SlackMessage, type MessageOptions } from './build-message.js';
export { escapeMrkdwn, escapeMrkdwnValue, truncate, SLACK_LIMITS } from './mrkdwn.js';
