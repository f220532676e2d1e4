// Unit tests for the settings layer: type checks and fallbacks, the server command line each setting
// produces, when a change needs a restart, the workspace/configuration answers, and that the settings the
// code reads are exactly the ones package.json contributes (with the same defaults).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  configurationItem,
  defaultSettings,
  restartNeeded,
  launchPlan,
  readSettings,
  serverArguments,
  serverSettings,
} from '../src/settings';
import type { Settings } from '../src/settings';

function settingsFrom(values: Record<string, unknown>): ReturnType<typeof readSettings> {
  return readSettings((key) => values[key]);
}

function withSettings(change: Partial<Settings>): Settings {
  return { ...defaultSettings, serverArgs: [], rules: {}, ...change };
}

describe('readSettings', () => {
  it('gives the defaults when nothing is set', () => {
    const { settings, problems } = settingsFrom({});
    assert.deepEqual(settings, defaultSettings);
    assert.deepEqual(problems, []);
  });

  it('keeps well-formed values', () => {
    const { settings, problems } = settingsFrom({
      'server.path': ' /opt/perfectex/bin/perfectex ',
      'server.args': ['--log-level', 'debug'],
      transport: 'tcp',
      'tcp.host': 'localhost',
      'tcp.port': 7001,
      p99BudgetMs: 12,
      hedgeDelay: 'auto',
      rules: { 'unclosed-environment': 'warning', 'unused-label': 'off' },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      serverPath: '/opt/perfectex/bin/perfectex',
      serverArgs: ['--log-level', 'debug'],
      transport: 'tcp',
      tcpHost: 'localhost',
      tcpPort: 7001,
      p99BudgetMs: 12,
      hedgeDelay: 'auto',
      rules: { 'unclosed-environment': 'warning', 'unused-label': 'off' },
    });
  });

  it('treats null as unset for the nullable settings', () => {
    const { settings, problems } = settingsFrom({ 'tcp.port': null, p99BudgetMs: null, hedgeDelay: null, rules: null });
    assert.deepEqual(settings, defaultSettings);
    assert.deepEqual(problems, []);
  });

  it('falls back to the default and names the setting for each malformed value', () => {
    const { settings, problems } = settingsFrom({
      'server.path': '  ',
      'server.args': ['--ok', 3],
      transport: 'pipe',
      'tcp.host': 42,
      'tcp.port': 70000,
      p99BudgetMs: '12',
      hedgeDelay: 'sometimes',
      rules: { 'unclosed-environment': 'loud', 'mismatched-environment': 'hint' },
    });
    assert.deepEqual(settings, withSettings({ rules: { 'mismatched-environment': 'hint' } }));
    const named = problems.map((problem) => /^perfectex\.([\w.-]+) must be/.exec(problem)?.[1]);
    assert.deepEqual(named, [
      'server.path',
      'server.args',
      'transport',
      'tcp.host',
      'tcp.port',
      'p99BudgetMs',
      'hedgeDelay',
      'rules.unclosed-environment',
    ]);
  });

  it('rejects negative and zero values where only positive ones make sense', () => {
    assert.equal(settingsFrom({ p99BudgetMs: 0 }).problems.length, 1);
    assert.equal(settingsFrom({ p99BudgetMs: 2.5 }).settings.p99BudgetMs, 2.5);
    assert.equal(settingsFrom({ 'tcp.port': -1 }).problems.length, 1);
    assert.equal(settingsFrom({ hedgeDelay: -5 }).problems.length, 1);
    assert.equal(settingsFrom({ hedgeDelay: 0 }).settings.hedgeDelay, 0);
  });

  it('rejects a rules value that is not an object', () => {
    const { settings, problems } = settingsFrom({ rules: ['unclosed-environment'] });
    assert.deepEqual(settings.rules, {});
    assert.match(problems[0] ?? '', /^perfectex\.rules must be an object/);
  });
});

describe('serverArguments', () => {
  it('starts the stdio server and passes no tuning flag by default', () => {
    assert.deepEqual(serverArguments(defaultSettings), ['serve', '--stdio']);
  });

  it('leaves the latency budget to the settings push', () => {
    assert.deepEqual(serverArguments(withSettings({ p99BudgetMs: 15 })), ['serve', '--stdio']);
  });

  it('passes --hedge-ms only when the hedge delay is set, in each of its forms', () => {
    for (const [hedgeDelay, flag] of [
      [4, '4'],
      [0, '0'],
      ['auto', 'auto'],
      ['off', 'off'],
    ] as const) {
      assert.deepEqual(serverArguments(withSettings({ hedgeDelay })), ['serve', '--stdio', '--hedge-ms', flag]);
    }
    assert.ok(!serverArguments(withSettings({ hedgeDelay: null })).includes('--hedge-ms'));
  });

  it('appends the extra arguments last', () => {
    const args = serverArguments(withSettings({ hedgeDelay: 'off', serverArgs: ['--max-message-mb', '64'] }));
    assert.deepEqual(args, ['serve', '--stdio', '--hedge-ms', 'off', '--max-message-mb', '64']);
  });
});

describe('launchPlan', () => {
  it('runs the configured executable over stdio', () => {
    assert.deepEqual(launchPlan(withSettings({ serverPath: '/usr/local/bin/perfectex', hedgeDelay: 3 })), {
      transport: 'stdio',
      command: '/usr/local/bin/perfectex',
      args: ['serve', '--stdio', '--hedge-ms', '3'],
    });
  });

  it('connects to host and port over TCP and starts nothing', () => {
    assert.deepEqual(launchPlan(withSettings({ transport: 'tcp', tcpHost: '10.0.0.2', tcpPort: 7001 })), {
      transport: 'tcp',
      host: '10.0.0.2',
      port: 7001,
    });
  });

  it('explains what is missing for TCP without a port', () => {
    const plan = launchPlan(withSettings({ transport: 'tcp' }));
    assert.ok('error' in plan);
    assert.match(plan.error, /perfectex\.tcp\.port is not set/);
  });
});

describe('restartNeeded', () => {
  const base = withSettings({ rules: { 'unclosed-environment': 'error' } });

  it('is false for what the running server takes live: rule severities and a budget value', () => {
    assert.equal(restartNeeded(base, withSettings({ rules: { 'unclosed-environment': 'off' } })), false);
    assert.equal(restartNeeded(base, { ...base, p99BudgetMs: 10 }), false);
    assert.equal(restartNeeded({ ...base, p99BudgetMs: 10 }, { ...base, p99BudgetMs: 4 }), false);
  });

  it('is true when the budget is cleared, since only a new server goes back to its default', () => {
    assert.equal(restartNeeded({ ...base, p99BudgetMs: 10 }, base), true);
  });

  it('is true when the executable, its arguments, the hedge delay or the transport change', () => {
    assert.equal(restartNeeded(base, { ...base, serverPath: '/tmp/perfectex' }), true);
    assert.equal(restartNeeded(base, { ...base, serverArgs: ['--verbose'] }), true);
    assert.equal(restartNeeded(base, { ...base, hedgeDelay: 'auto' }), true);
    assert.equal(restartNeeded(base, { ...base, transport: 'tcp', tcpPort: 7001 }), true);
  });

  it('ignores the TCP address while the transport is stdio, and follows it under TCP', () => {
    assert.equal(restartNeeded(base, { ...base, tcpPort: 7001, tcpHost: 'example.org' }), false);
    const tcp = { ...base, transport: 'tcp' as const, tcpPort: 7001 };
    assert.equal(restartNeeded(tcp, { ...tcp, tcpPort: 7002 }), true);
    assert.equal(restartNeeded(tcp, { ...tcp, hedgeDelay: 5 }), false);
  });
});

describe('configurationItem', () => {
  const settings = withSettings({ rules: { 'unclosed-environment': 'hint' }, p99BudgetMs: 7.5, hedgeDelay: 2 });

  it('answers the perfectex section with the server settings', () => {
    const expected = { rules: { 'unclosed-environment': 'hint' }, p99BudgetMs: 7.5 };
    assert.deepEqual(configurationItem('perfectex', settings), expected);
    assert.deepEqual(serverSettings(settings), expected);
  });

  it('leaves the budget out when it is not set', () => {
    assert.deepEqual(serverSettings(defaultSettings), { rules: {} });
  });

  it('answers sub-sections by path', () => {
    assert.deepEqual(configurationItem('perfectex.rules', settings), { 'unclosed-environment': 'hint' });
    assert.equal(configurationItem('perfectex.rules.unclosed-environment', settings), 'hint');
    assert.equal(configurationItem('perfectex.p99BudgetMs', settings), 7.5);
  });

  it('answers null for sections that are not ours or do not exist', () => {
    assert.equal(configurationItem('editor', settings), null);
    assert.equal(configurationItem(undefined, settings), null);
    assert.equal(configurationItem('perfectexx', settings), null);
    assert.equal(configurationItem('perfectex.server', settings), null);
    assert.equal(configurationItem('perfectex.rules.no-such-rule', settings), null);
    assert.equal(configurationItem('perfectex.rules.unclosed-environment.deeper', settings), null);
  });
});

describe('package.json contributions', () => {
  interface Manifest {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    activationEvents: string[];
  }
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
  const properties = manifest.contributes.configuration.properties;

  it('contributes exactly the settings readSettings reads, plus the client trace level', () => {
    const read: string[] = [];
    readSettings((key) => {
      read.push(`perfectex.${key}`);
      return undefined;
    });
    assert.deepEqual(Object.keys(properties).sort(), [...read, 'perfectex.trace.server'].sort());
  });

  it('declares the same defaults as the code', () => {
    const defaults = readSettings((key) => properties[`perfectex.${key}`]?.default);
    assert.deepEqual(defaults.problems, []);
    assert.deepEqual(defaults.settings, defaultSettings);
  });

  it('activates on LaTeX, TeX and BibTeX documents', () => {
    assert.deepEqual(manifest.activationEvents.sort(), ['onLanguage:bibtex', 'onLanguage:latex', 'onLanguage:tex']);
  });
});
