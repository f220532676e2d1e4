// The reply of the server's `perfectex/stats` request: checking its shape, and the two ways the extension
// shows it (the status bar item and the "Show server statistics" report).
// Pure functions with no VS Code import, so the Node test runner can exercise them.

export const statsMethod = 'perfectex/stats';

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface ServerStats {
  uptime_ms: number;
  documents: number;
  requests: number;
  errors: number;
  edits: number;
  publishes: number;
  analyses: number;
  edit_to_publish_ms: LatencySummary;
  analysis_ms: LatencySummary;
  kernel: string;
  rss_bytes: number;
  /** The budget the server holds the edit→diagnostics P99 to, when it reports one. */
  p99_budget_ms?: number;
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

const counters = ['uptime_ms', 'documents', 'requests', 'errors', 'edits', 'publishes', 'analyses', 'rss_bytes'] as const;
const summaries = ['edit_to_publish_ms', 'analysis_ms'] as const;
const summaryFields = ['count', 'p50', 'p90', 'p99', 'p999', 'max'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a `perfectex/stats` reply; throws an Error naming the first missing or malformed field. */
export function parseStats(reply: unknown): ServerStats {
  if (!isRecord(reply)) {
    throw new Error(`${statsMethod} returned ${JSON.stringify(reply)}, not an object`);
  }
  for (const field of counters) {
    if (!isNumber(reply[field])) {
      throw new Error(`${statsMethod} reply has no numeric "${field}"`);
    }
  }
  for (const summary of summaries) {
    const value = reply[summary];
    if (!isRecord(value)) {
      throw new Error(`${statsMethod} reply has no object "${summary}"`);
    }
    for (const field of summaryFields) {
      if (!isNumber(value[field])) {
        throw new Error(`${statsMethod} reply has no numeric "${summary}.${field}"`);
      }
    }
  }
  if (typeof reply.kernel !== 'string') {
    throw new Error(`${statsMethod} reply has no string "kernel"`);
  }
  if (reply.p99_budget_ms !== undefined && !isNumber(reply.p99_budget_ms)) {
    throw new Error(`${statsMethod} reply has a non-numeric "p99_budget_ms"`);
  }
  return reply as unknown as ServerStats;
}

function milliseconds(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Shown with the warning colours: the server is not running. */
  warning: boolean;
}

/** The status bar item: "perfectex" with the recent edit→diagnostics P99, or a warning when not running. */
export function statusView(state: ServerState, stats: ServerStats | undefined, detail?: string): StatusView {
  switch (state) {
    case 'starting':
      return { text: '$(sync~spin) perfectex', tooltip: 'perfectex: starting the server', warning: false };
    case 'stopped':
      return { text: '$(warning) perfectex', tooltip: 'perfectex: the server is stopped', warning: true };
    case 'failed':
      return {
        text: '$(warning) perfectex',
        tooltip: `perfectex: the server is not running${detail ? ` (${detail})` : ''}. Run "perfectex: Restart server".`,
        warning: true,
      };
    case 'running': {
      const latency = stats?.edit_to_publish_ms;
      if (latency === undefined || latency.count === 0) {
        return { text: '$(check) perfectex', tooltip: 'perfectex: running, no edits measured yet', warning: false };
      }
      const budget = stats?.p99_budget_ms === undefined ? '' : ` (budget ${milliseconds(stats.p99_budget_ms)})`;
      return {
        text: `$(check) perfectex P99 ${milliseconds(latency.p99)}`,
        tooltip: `perfectex: running; edit→diagnostics P99 ${milliseconds(latency.p99)}${budget} over ${latency.count} edits. Click for statistics.`,
        warning: false,
      };
    }
  }
}

function latencyLine(name: string, summary: LatencySummary): string {
  if (summary.count === 0) {
    return `${name}: no samples yet`;
  }
  return (
    `${name} (${summary.count} samples): p50 ${milliseconds(summary.p50)}, p90 ${milliseconds(summary.p90)}, ` +
    `p99 ${milliseconds(summary.p99)}, p99.9 ${milliseconds(summary.p999)}, max ${milliseconds(summary.max)}`
  );
}

/** The plain-text report that "Show server statistics" prints. */
export function statsReport(stats: ServerStats): string {
  const uptimeSeconds = stats.uptime_ms / 1000;
  return [
    `uptime: ${uptimeSeconds.toFixed(1)} s`,
    `open documents: ${stats.documents}`,
    `requests: ${stats.requests} (errors: ${stats.errors})`,
    `edits: ${stats.edits}, analyses: ${stats.analyses}, diagnostics published: ${stats.publishes}`,
    latencyLine('edit→diagnostics', stats.edit_to_publish_ms) +
      (stats.p99_budget_ms === undefined ? '' : `; P99 budget ${milliseconds(stats.p99_budget_ms)}`),
    latencyLine('analysis', stats.analysis_ms),
    `lexer kernel: ${stats.kernel}`,
    `resident memory: ${(stats.rss_bytes / (1024 * 1024)).toFixed(1)} MiB`,
  ].join('\n');
}
