// Unit tests for the controller's restart and settings logic, over a scripted in-memory client that records
// what the controller asked of it. The same controller is driven against the real server in
// e2e/server.test.ts; here the point is ordering, coalescing and failure handling.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerController } from '../src/controller';
import type { ControllerSnapshot, Disposable, ManagedClient } from '../src/controller';
import { defaultSettings } from '../src/settings';
import type { LaunchPlan, Settings } from '../src/settings';
import type { ServerState } from '../src/stats';

/** A client whose start can be held open or made to fail, and which records every call in a shared log. */
class ScriptedClient implements ManagedClient {
  readonly notifications: unknown[] = [];
  startFailure: Error | undefined;
  statsReply: unknown = undefined;
  private releaseStart: (() => void) | undefined;
  private holdStart = false;
  private runningListener: ((running: boolean) => void) | undefined;

  constructor(
    readonly id: number,
    readonly plan: LaunchPlan,
    private readonly log: string[],
  ) {}

  holdNextStart(): void {
    this.holdStart = true;
  }

  finishStart(): void {
    this.releaseStart?.();
  }

  async start(): Promise<void> {
    this.log.push(`start ${this.id}`);
    if (this.holdStart) {
      await new Promise<void>((resolve) => (this.releaseStart = resolve));
    }
    if (this.startFailure !== undefined) {
      throw this.startFailure;
    }
  }

  stop(): Promise<void> {
    this.log.push(`stop ${this.id}`);
    return Promise.resolve();
  }

  sendRequest(method: string): Promise<unknown> {
    this.log.push(`request ${this.id} ${method}`);
    return Promise.resolve(this.statsReply);
  }

  sendNotification(method: string, params: unknown): Promise<void> {
    this.log.push(`notify ${this.id} ${method}`);
    this.notifications.push(params);
    return Promise.resolve();
  }

  onRunningChange(listener: (running: boolean) => void): Disposable {
    this.runningListener = listener;
    return { dispose: () => (this.runningListener = undefined) };
  }

  report(running: boolean): void {
    this.runningListener?.(running);
  }
}

interface Harness {
  controller: ServerController;
  clients: ScriptedClient[];
  log: string[];
  states: ServerState[];
  prepare: (client: ScriptedClient) => void;
}

function harness(settings: Partial<Settings> = {}, statsIntervalMs = 0): Harness {
  const log: string[] = [];
  const clients: ScriptedClient[] = [];
  const states: ServerState[] = [];
  const h: Harness = {
    clients,
    log,
    states,
    prepare: () => undefined,
    controller: new ServerController(
      (plan) => {
        const client = new ScriptedClient(clients.length + 1, plan, log);
        clients.push(client);
        h.prepare(client);
        return client;
      },
      { ...defaultSettings, serverArgs: [], rules: {}, ...settings },
      { statsIntervalMs },
    ),
  };
  h.controller.onDidChange((snapshot: ControllerSnapshot) => {
    if (states.at(-1) !== snapshot.state) {
      states.push(snapshot.state);
    }
  });
  return h;
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(condition(), 'the condition never became true');
}

function completeStats(p99: number): Record<string, unknown> {
  const summary = { count: 3, p50: 1, p90: 2, p99, p999: p99, max: p99 };
  return {
    uptime_ms: 10,
    documents: 1,
    requests: 2,
    errors: 0,
    edits: 3,
    publishes: 3,
    analyses: 3,
    edit_to_publish_ms: summary,
    analysis_ms: summary,
    kernel: 'scalar',
    rss_bytes: 1,
  };
}

describe('ServerController', () => {
  it('starts one client and sends it the server settings once it runs', async () => {
    const h = harness({ rules: { 'unclosed-environment': 'warning' } });
    await h.controller.start();
    await h.controller.start();
    assert.deepEqual(h.states, ['starting', 'running']);
    assert.deepEqual(h.log, ['start 1', 'notify 1 workspace/didChangeConfiguration']);
    const [client] = h.clients;
    assert.ok(client);
    assert.deepEqual(client.notifications, [{ settings: { perfectex: { rules: { 'unclosed-environment': 'warning' } } } }]);
    assert.deepEqual(client.plan, { transport: 'stdio', command: 'perfectex', args: ['serve', '--stdio'] });
  });

  it('reports a start failure with its reason and releases the client', async () => {
    const h = harness();
    h.prepare = (client) => {
      client.startFailure = new Error('spawn perfectex ENOENT');
    };
    await h.controller.start();
    assert.equal(h.controller.current.state, 'failed');
    assert.equal(h.controller.current.detail, 'spawn perfectex ENOENT');
    assert.deepEqual(h.log, ['start 1', 'stop 1']);
    await assert.rejects(h.controller.stats(), /not running/);
  });

  it('fails without creating a client when the TCP port is missing', async () => {
    const h = harness({ transport: 'tcp' });
    await h.controller.start();
    assert.equal(h.clients.length, 0);
    assert.equal(h.controller.current.state, 'failed');
    assert.match(h.controller.current.detail ?? '', /perfectex\.tcp\.port is not set/);
  });

  it('stops the old client before starting the new one on restart', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.restart();
    assert.deepEqual(h.log, [
      'start 1',
      'notify 1 workspace/didChangeConfiguration',
      'stop 1',
      'start 2',
      'notify 2 workspace/didChangeConfiguration',
    ]);
    assert.deepEqual(h.states, ['starting', 'running', 'starting', 'running']);
  });

  it('merges restarts requested while one is still queued, but not one requested after it began', async () => {
    const h = harness();
    h.prepare = (client) => {
      if (client.id === 1) {
        client.holdNextStart();
      }
    };
    const started = h.controller.start();
    const first = h.controller.restart();
    const second = h.controller.restart();
    assert.equal(first, second);
    await until(() => h.clients.length === 1);
    h.clients[0]?.finishStart();
    await Promise.all([started, first]);
    assert.equal(h.clients.length, 2);

    h.prepare = (client) => {
      client.holdNextStart();
    };
    const third = h.controller.restart();
    await until(() => h.clients.length === 3);
    const fourth = h.controller.restart();
    assert.notEqual(third, fourth);
    h.clients[2]?.finishStart();
    await third;
    await until(() => h.clients.length === 4);
    h.clients[3]?.finishStart();
    await fourth;
    assert.equal(h.clients.length, 4);
    assert.equal(h.log.filter((entry) => entry.startsWith('stop')).join(','), 'stop 1,stop 2,stop 3');
  });

  it('pushes a budget value live and restarts when the budget is cleared', async () => {
    const h = harness();
    await h.controller.start();
    assert.equal(await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: {}, p99BudgetMs: 6 }), 'pushed');
    assert.deepEqual(h.clients[0]?.notifications.at(-1), { settings: { perfectex: { rules: {}, p99BudgetMs: 6 } } });
    assert.equal(await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: {} }), 'restarted');
    assert.equal(h.clients.length, 2);
    assert.deepEqual(h.clients[1]?.notifications, [{ settings: { perfectex: { rules: {} } } }]);
  });

  it('pushes rule changes to the running server without a restart', async () => {
    const h = harness();
    await h.controller.start();
    const outcome = await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: { 'mismatched-environment': 'off' } });
    assert.equal(outcome, 'pushed');
    assert.equal(h.clients.length, 1);
    assert.deepEqual(h.clients[0]?.notifications.at(-1), { settings: { perfectex: { rules: { 'mismatched-environment': 'off' } } } });
  });

  it('restarts with the new command line when a launch setting changes', async () => {
    const h = harness();
    await h.controller.start();
    const outcome = await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: {}, hedgeDelay: 8 });
    assert.equal(outcome, 'restarted');
    assert.deepEqual(h.clients[1]?.plan, { transport: 'stdio', command: 'perfectex', args: ['serve', '--stdio', '--hedge-ms', '8'] });
    assert.ok(h.log.indexOf('stop 1') < h.log.indexOf('start 2'));
  });

  it('leaves a stopped server stopped and unchanged settings alone', async () => {
    const h = harness();
    assert.equal(await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: {}, hedgeDelay: 'off' }), 'unchanged');
    assert.equal(h.clients.length, 0);
    await h.controller.start();
    assert.deepEqual(h.clients[0]?.plan, { transport: 'stdio', command: 'perfectex', args: ['serve', '--stdio', '--hedge-ms', 'off'] });
    assert.equal(await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: {}, hedgeDelay: 'off' }), 'unchanged');
    assert.equal(h.clients.length, 1);
  });

  it('starts again after a failure once the launch settings are fixed', async () => {
    const h = harness({ transport: 'tcp' });
    await h.controller.start();
    assert.equal(h.controller.current.state, 'failed');
    assert.equal(await h.controller.updateSettings({ ...defaultSettings, serverArgs: [], rules: {}, transport: 'tcp', tcpPort: 7001 }), 'restarted');
    assert.equal(h.controller.current.state, 'running');
    assert.deepEqual(h.clients[0]?.plan, { transport: 'tcp', host: '127.0.0.1', port: 7001 });
  });

  it('marks an unexpected exit as a failure and recovers when the client brings the server back', async () => {
    const h = harness();
    await h.controller.start();
    h.clients[0]?.report(false);
    assert.equal(h.controller.current.state, 'failed');
    assert.equal(h.controller.current.detail, 'the server exited');
    h.clients[0]?.report(true);
    assert.equal(h.controller.current.state, 'running');
    assert.equal(h.clients[0]?.notifications.length, 2);
  });

  it('does not count its own stop as a failure', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.stop();
    h.clients[0]?.report(false);
    assert.deepEqual(h.states, ['starting', 'running', 'stopped']);
  });

  it('polls statistics while running and reports a malformed reply', async () => {
    const h = harness({}, 5);
    h.prepare = (client) => {
      client.statsReply = completeStats(4);
    };
    const updates: ControllerSnapshot[] = [];
    h.controller.onDidChange((snapshot) => updates.push(snapshot));
    await h.controller.start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(h.controller.current.stats?.edit_to_publish_ms.p99, 4);

    const client = h.clients[0];
    assert.ok(client);
    client.statsReply = { uptime_ms: 'soon' };
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(h.controller.current.stats, undefined);
    assert.match(h.controller.current.statsError ?? '', /uptime_ms/);

    await h.controller.stop();
    const polls = h.log.filter((entry) => entry.startsWith('request')).length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(h.log.filter((entry) => entry.startsWith('request')).length, polls);
    assert.ok(updates.some((snapshot) => snapshot.stats !== undefined));
  });
});
