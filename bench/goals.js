// Issue 15's goals as rows: each benchmark returns the goals it measures, run.js puts them in one table
// at the top of BENCHMARKS.md, and under it what the profile shows for each goal not met.

/**
 * One goal's result.
 * @typedef {object} GoalResult
 * @property {number} id        the goal's number in issue 15's list (orders the table)
 * @property {string} goal      the goal as the issue states it
 * @property {string} figure    what this run measured (units included)
 * @property {string} peer      the peer measured in the same run, with its figure ('—' when the goal has none)
 * @property {string} ratio     figure ÷ peer as the goal states it ('—' without a peer)
 * @property {string} rounds    how many rounds the figure is the median of, and of what
 * @property {boolean | null} met  null: not measured in this run
 * @property {string} [profile] markdown: what the profile or breakdown shows (printed when not met)
 * @property {string} section   the detailed section's title
 */

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The summary table and, for the goals not met, their profiles. */
export function goalsMarkdown(goals) {
  const sorted = [...goals].sort((a, b) => a.id - b.id);
  const verdict = (g) => (g.met === null ? 'not measured' : g.met ? 'met' : '**not met**');
  const rows = sorted.map((g) => `| ${g.id}. ${cell(g.goal)} | ${cell(g.figure)} | ${cell(g.peer)} | ${cell(g.ratio)} | ${cell(g.rounds)} | ${verdict(g)} |`);
  const unmet = sorted.filter((g) => g.met === false);
  const measured = sorted.filter((g) => g.met !== null);
  return [
    '## Goals (issue 15)',
    '',
    `${sorted.filter((g) => g.met).length} of ${measured.length} measured goals met in this run${measured.length < sorted.length ? ` (${sorted.length - measured.length} not measured)` : ''}. Details in the section named in each row's goal; the figures are medians over the rounds given.`,
    '',
    '| goal | figure | peer (same run) | ratio | rounds | met? |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(unmet.length ? ['### What the profiles show for the goals not met (generated)', ''] : []),
    ...unmet.flatMap((g) => [`**${g.id}. ${g.goal}** (section “${g.section}”)`, '', g.profile ?? 'No profile measured for this goal.', '']),
  ].join('\n');
}

/** Issue 15's goals by number and the benchmark that measures each: a row says "not measured" when its benchmark did not run. */
export const GOAL_SOURCES = {
  1: ['footprint-bench.js', 'Sidecar ≤ 45 MB RSS idle and after 10,000 scrapes'],
  2: ['embed-bench.js', 'Embedding the exporter adds ≤ 8 MB to a Node service'],
  3: ['footprint-bench.js', 'Poller ≤ 80 MB RSS with six targets and an external PostgreSQL, flat over 10 simulated hours'],
  4: ['embedded-store-bench.js', 'Embedded store: first start ≤ 200 MB RSS steady with a progress line; second start listening in ≤ 3 s'],
  5: ['parser-bench.js', 'Parser ≥ 3× / ≥ 2× the best npm peer, parse time per sample flat from 1k to 40k families'],
  6: ['poller-bench.js', 'Poller ≤ 0.8× Prometheus 2.42 CPU per scraped sample'],
  7: ['exporter-bench.js', 'Exporter CPU per fresh reading ≤ 1.1× a bare prom-client server'],
  8: ['spread-bench.js', 'Spread: no two of 20 similarly named targets closer than interval/40, stable across restarts'],
  9: ['poller-bench.js', 'No dropped cycles at 200 targets × 940 samples every 1 s'],
};

/** Rows for the goals whose benchmark failed or was left out (`--only`). */
export function missingGoals(goals, failures) {
  const have = new Set(goals.map((g) => g.id));
  return Object.entries(GOAL_SOURCES).filter(([id]) => !have.has(Number(id))).map(([id, [file, goal]]) => ({
    id: Number(id), goal, figure: failures.has(file) ? `bench/${file} failed: ${failures.get(file)}` : `bench/${file} not run`,
    peer: '—', ratio: '—', rounds: '0', met: null, section: file,
  }));
}
