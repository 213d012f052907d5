/**
 * Slack mrkdwn escaping and limits. `&`, `<` and `>` are the control
 * characters of Slack's formatting (links, mentions like <!channel>); they are
 * escaped in every interpolated value so text from a target cannot ping a
 * channel or plant a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack Block Kit limits (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  blocksPerMessage: 50,
} as const;

/** Cuts `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
