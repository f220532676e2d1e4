// Unit tests for reading `perfectex/stats` replies and for what the status bar item and the statistics
// report show for them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStats, statsReport, statusView } from '../src/stats';
import type { ServerStats } from '../src/stats';

function sampleStats(): ServerStats {
  return {
    uptime_ms: 12_500,
    documents: 2,
    requests: 40,
    errors: 1,
    edits: 30,
    publishes: 33,
    analyses: 31,
    edit_to_publish_ms: { count: 30, p50: 1.25, p90: 2.5, p99: 4.125, p999: 6, max: 12.75 },
    analysis_ms: { count: 31, p50: 0.5, p90: 1, p99: 2, p999: 3, max: 3.5 },
    kernel: 'avx2',
    rss_bytes: 52_428_800,
  };
}

describe('parseStats', () => {
  it('accepts a complete reply and keeps extra fields', () => {
    const reply = { ...sampleStats(), hedges: 3 };
    assert.deepEqual(parseStats(reply), reply);
  });

  it('names the first missing or malformed field', () => {
    const withoutPublishes: Partial<ServerStats> = sampleStats();
    delete withoutPublishes.publishes;
    assert.throws(() => parseStats(withoutPublishes), /no numeric "publishes"/);
    assert.throws(() => parseStats({ ...sampleStats(), analysis_ms: [] }), /no object "analysis_ms"/);
    const latency = { ...sampleStats().edit_to_publish_ms, p99: 'fast' };
    assert.throws(() => parseStats({ ...sampleStats(), edit_to_publish_ms: latency }), /no numeric "edit_to_publish_ms\.p99"/);
    assert.throws(() => parseStats({ ...sampleStats(), kernel: 2 }), /no string "kernel"/);
    assert.throws(() => parseStats({ ...sampleStats(), uptime_ms: Number.NaN }), /no numeric "uptime_ms"/);
    assert.throws(() => parseStats({ ...sampleStats(), p99_budget_ms: '20' }), /non-numeric "p99_budget_ms"/);
  });

  it('rejects replies that are not objects', () => {
    assert.throws(() => parseStats(null), /not an object/);
    assert.throws(() => parseStats([1, 2]), /not an object/);
  });
});

describe('statusView', () => {
  it('shows the recent P99 while running', () => {
    const view = statusView('running', sampleStats());
    assert.equal(view.text, '$(check) perfectex P99 4.13 ms');
    assert.match(view.tooltip, /P99 4\.13 ms over 30 edits/);
    assert.equal(view.warning, false);
    assert.match(statusView('running', { ...sampleStats(), p99_budget_ms: 20 }).tooltip, /P99 4\.13 ms \(budget 20\.0 ms\) over 30 edits/);
  });

  it('uses one decimal from 10 ms on', () => {
    const stats = sampleStats();
    stats.edit_to_publish_ms.p99 = 17.04;
    assert.equal(statusView('running', stats).text, '$(check) perfectex P99 17.0 ms');
  });

  it('shows no number before the first edit or before the first poll', () => {
    const stats = sampleStats();
    stats.edit_to_publish_ms = { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    assert.equal(statusView('running', stats).text, '$(check) perfectex');
    assert.equal(statusView('running', undefined).text, '$(check) perfectex');
  });

  it('warns when the server is not running, with the reason', () => {
    const failed = statusView('failed', sampleStats(), 'spawn perfectex ENOENT');
    assert.equal(failed.text, '$(warning) perfectex');
    assert.equal(failed.warning, true);
    assert.match(failed.tooltip, /spawn perfectex ENOENT/);
    assert.equal(statusView('stopped', undefined).warning, true);
    assert.equal(statusView('starting', undefined).warning, false);
  });
});

describe('statsReport', () => {
  it('prints every figure of the reply', () => {
    const report = statsReport(sampleStats());
    assert.equal(
      report,
      [
        'uptime: 12.5 s',
        'open documents: 2',
        'requests: 40 (errors: 1)',
        'edits: 30, analyses: 31, diagnostics published: 33',
        'edit→diagnostics (30 samples): p50 1.25 ms, p90 2.50 ms, p99 4.13 ms, p99.9 6.00 ms, max 12.8 ms',
        'analysis (31 samples): p50 0.50 ms, p90 1.00 ms, p99 2.00 ms, p99.9 3.00 ms, max 3.50 ms',
        'lexer kernel: avx2',
        'resident memory: 50.0 MiB',
      ].join('\n'),
    );
  });

  it('adds the budget when the server reports one', () => {
    assert.match(statsReport({ ...sampleStats(), p99_budget_ms: 8 }), /max 12\.8 ms; P99 budget 8\.00 ms$/m);
  });

  it('says when there are no samples yet', () => {
    const stats = sampleStats();
    stats.analysis_ms.count = 0;
    assert.match(statsReport(stats), /^analysis: no samples yet$/m);
  });
});
