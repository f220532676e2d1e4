// Owns the connection to the server over its life: start, stop, restart on command or when a launch setting
// changes, live settings pushes, and polling `perfectex/stats` for the status bar. It talks to the server
// through the small ManagedClient interface, so the same logic drives vscode-languageclient in the extension
// and a plain vscode-languageserver-protocol client in the Node tests. No VS Code import.

import { configurationSection, launchPlan, restartNeeded, serverSettings } from './settings';
import type { LaunchPlan, Settings } from './settings';
import { parseStats, statsMethod } from './stats';
import type { ServerState, ServerStats } from './stats';

export interface Disposable {
  dispose(): void;
}

/** One connection to one server process (or TCP server); started once, stopped once. */
export interface ManagedClient {
  start(): Promise<void>;
  stop(): Promise<void>;
  sendRequest(method: string, params?: unknown): Promise<unknown>;
  sendNotification(method: string, params: unknown): Promise<void>;
  /** Reports the connection going down (false) or coming back up after the client restarted it (true). */
  onRunningChange(listener: (running: boolean) => void): Disposable;
}

export type ClientFactory = (plan: LaunchPlan) => ManagedClient;

export interface ControllerSnapshot {
  state: ServerState;
  /** Why the server is not running, when it failed. */
  detail: string | undefined;
  stats: ServerStats | undefined;
  /** Why the last `perfectex/stats` poll failed while the server was running. */
  statsError: string | undefined;
}

export type SettingsOutcome = 'restarted' | 'pushed' | 'unchanged';

export interface ControllerOptions {
  /** How often to ask for `perfectex/stats` while the server runs; 0 disables polling. */
  statsIntervalMs: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ServerController implements Disposable {
  private client: ManagedClient | undefined;
  private clientSubscription: Disposable | undefined;
  private stopping = false;
  private snapshot: ControllerSnapshot = { state: 'stopped', detail: undefined, stats: undefined, statsError: undefined };
  private queue: Promise<void> = Promise.resolve();
  private queuedRestart: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private pollInFlight = false;
  private readonly listeners = new Set<(snapshot: ControllerSnapshot) => void>();

  constructor(
    private readonly factory: ClientFactory,
    private settings: Settings,
    private readonly options: ControllerOptions,
  ) {}

  get current(): Readonly<ControllerSnapshot> {
    return this.snapshot;
  }

  onDidChange(listener: (snapshot: ControllerSnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts the server unless it runs already; resolves once it is running or has failed (see `current`). */
  start(): Promise<void> {
    return this.enqueue(async () => {
      if (this.client === undefined) {
        await this.launch();
      }
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.shutdown());
  }

  /** Stops the server and starts a new one; requests made while one is still queued share it. */
  restart(): Promise<void> {
    if (this.queuedRestart === undefined) {
      this.queuedRestart = this.enqueue(async (): Promise<void> => {
        this.queuedRestart = undefined;
        await this.releaseClient();
        await this.launch();
      });
    }
    return this.queuedRestart;
  }

  /**
   * Takes new settings: a change that needs a new server restarts it (if it was started), a change in the
   * server settings alone is pushed to the running server with `workspace/didChangeConfiguration`.
   */
  async updateSettings(next: Settings): Promise<SettingsOutcome> {
    const previous = this.settings;
    this.settings = next;
    if (restartNeeded(previous, next)) {
      if (this.snapshot.state === 'stopped') {
        return 'unchanged';
      }
      await this.restart();
      return 'restarted';
    }
    if (JSON.stringify(serverSettings(previous)) === JSON.stringify(serverSettings(next))) {
      return 'unchanged';
    }
    return this.enqueue(async () => {
      if (this.client === undefined || this.snapshot.state !== 'running') {
        return 'unchanged';
      }
      await this.pushSettings(this.client);
      return 'pushed';
    });
  }

  /** Asks the running server for `perfectex/stats` and checks the reply. */
  async stats(): Promise<ServerStats> {
    const client = this.client;
    if (client === undefined || this.snapshot.state !== 'running') {
      throw new Error('the perfectex server is not running');
    }
    return parseStats(await client.sendRequest(statsMethod));
  }

  dispose(): void {
    this.listeners.clear();
    void this.stop();
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private update(change: Partial<ControllerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) {
      listener(this.snapshot);
    }
  }

  private async launch(): Promise<void> {
    const plan = launchPlan(this.settings);
    if ('error' in plan) {
      this.update({ state: 'failed', detail: plan.error, stats: undefined, statsError: undefined });
      return;
    }
    const client = this.factory(plan);
    this.client = client;
    this.clientSubscription = client.onRunningChange((running) => {
      this.onRunningChange(client, running);
    });
    this.update({ state: 'starting', detail: undefined, stats: undefined, statsError: undefined });
    try {
      await client.start();
    } catch (error) {
      await this.releaseClient();
      this.update({ state: 'failed', detail: message(error) });
      return;
    }
    this.update({ state: 'running' });
    try {
      await this.pushSettings(client);
    } catch (error) {
      this.update({ state: 'failed', detail: `sending the settings failed: ${message(error)}` });
      return;
    }
    this.startPolling();
  }

  private async shutdown(): Promise<void> {
    await this.releaseClient();
    this.update({ state: 'stopped', detail: undefined, stats: undefined, statsError: undefined });
  }

  private async releaseClient(): Promise<void> {
    this.stopPolling();
    const client = this.client;
    this.client = undefined;
    this.clientSubscription?.dispose();
    this.clientSubscription = undefined;
    if (client !== undefined) {
      this.stopping = true;
      try {
        await client.stop();
      } catch {
        // A server that already died cannot be shut down politely; the connection is gone either way.
      } finally {
        this.stopping = false;
      }
    }
  }

  private onRunningChange(client: ManagedClient, running: boolean): void {
    if (client !== this.client || this.stopping) {
      return;
    }
    if (running) {
      this.update({ state: 'running', detail: undefined });
      void this.pushSettings(client).catch(() => undefined);
    } else {
      this.update({ state: 'failed', detail: 'the server exited', stats: undefined });
    }
  }

  private pushSettings(client: ManagedClient): Promise<void> {
    return client.sendNotification('workspace/didChangeConfiguration', {
      settings: { [configurationSection]: serverSettings(this.settings) },
    });
  }

  private startPolling(): void {
    if (this.options.statsIntervalMs <= 0) {
      return;
    }
    void this.poll();
    this.pollTimer = setInterval(() => void this.poll(), this.options.statsIntervalMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  private async poll(): Promise<void> {
    const client = this.client;
    if (this.pollInFlight || client === undefined) {
      return;
    }
    this.pollInFlight = true;
    try {
      const stats = await this.stats();
      if (client === this.client) {
        this.update({ stats, statsError: undefined });
      }
    } catch (error) {
      if (client === this.client) {
        this.update({ stats: undefined, statsError: message(error) });
      }
    } finally {
      this.pollInFlight = false;
    }
  }
}
