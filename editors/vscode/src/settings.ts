// The `perfectex.*` settings: reading them from any key/value source, checking their types, and turning
// them into how to reach the server (command and arguments, or a TCP address) and into the settings object
// the server receives through `workspace/didChangeConfiguration` and `workspace/configuration`, and deciding
// which changes need a new server. Pure functions with no VS Code import, so Node's test runner runs them.

export type Transport = 'stdio' | 'tcp';

export const ruleSeverities = ['off', 'error', 'warning', 'information', 'hint'] as const;
export type RuleSeverity = (typeof ruleSeverities)[number];

/** `--hedge-ms` value: milliseconds, adaptive, disabled, or null for "pass nothing, use the server's default". */
export type HedgeDelay = number | 'auto' | 'off' | null;

export interface Settings {
  serverPath: string;
  serverArgs: string[];
  transport: Transport;
  tcpHost: string;
  tcpPort: number | null;
  p99BudgetMs: number | null;
  hedgeDelay: HedgeDelay;
  rules: Record<string, RuleSeverity>;
}

/** What the server reads from its `perfectex` section; the launch settings reach it as arguments instead. */
export interface ServerSettings {
  rules: Record<string, RuleSeverity>;
  p99BudgetMs?: number;
}

export type LaunchPlan =
  | { transport: 'stdio'; command: string; args: string[] }
  | { transport: 'tcp'; host: string; port: number };

/** Reads one setting below `perfectex.`, e.g. `server.path`; undefined when unset. */
export type SettingReader = (key: string) => unknown;

export const configurationSection = 'perfectex';

export const defaultSettings: Readonly<Settings> = Object.freeze({
  serverPath: 'perfectex',
  serverArgs: [],
  transport: 'stdio',
  tcpHost: '127.0.0.1',
  tcpPort: null,
  p99BudgetMs: null,
  hedgeDelay: null,
  rules: {},
});

export interface ReadResult {
  settings: Settings;
  /** One sentence per setting that had the wrong type or range and fell back to its default. */
  problems: string[];
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Reads every setting, keeping the default (and reporting a problem) for any value of the wrong shape. */
export function readSettings(read: SettingReader): ReadResult {
  const problems: string[] = [];
  const settings: Settings = { ...defaultSettings, serverArgs: [], rules: {} };
  const reject = (key: string, expected: string, value: unknown): void => {
    problems.push(`perfectex.${key} must be ${expected}; got ${JSON.stringify(value)}. Using the default.`);
  };

  const serverPath = read('server.path');
  if (typeof serverPath === 'string' && serverPath.trim() !== '') {
    settings.serverPath = serverPath.trim();
  } else if (serverPath !== undefined) {
    reject('server.path', 'a non-empty string', serverPath);
  }

  const serverArgs = read('server.args');
  if (Array.isArray(serverArgs) && serverArgs.every((arg) => typeof arg === 'string')) {
    settings.serverArgs = [...serverArgs];
  } else if (serverArgs !== undefined) {
    reject('server.args', 'an array of strings', serverArgs);
  }

  const transport = read('transport');
  if (transport === 'stdio' || transport === 'tcp') {
    settings.transport = transport;
  } else if (transport !== undefined) {
    reject('transport', '"stdio" or "tcp"', transport);
  }

  const tcpHost = read('tcp.host');
  if (typeof tcpHost === 'string' && tcpHost.trim() !== '') {
    settings.tcpHost = tcpHost.trim();
  } else if (tcpHost !== undefined) {
    reject('tcp.host', 'a non-empty string', tcpHost);
  }

  const tcpPort = read('tcp.port');
  if (isPositiveInteger(tcpPort) && tcpPort <= 65535) {
    settings.tcpPort = tcpPort;
  } else if (tcpPort !== undefined && tcpPort !== null) {
    reject('tcp.port', 'an integer from 1 to 65535', tcpPort);
  }

  const budget = read('p99BudgetMs');
  if (typeof budget === 'number' && Number.isFinite(budget) && budget > 0) {
    settings.p99BudgetMs = budget;
  } else if (budget !== undefined && budget !== null) {
    reject('p99BudgetMs', 'a positive number of milliseconds or null', budget);
  }

  const hedge = read('hedgeDelay');
  if (hedge === 'auto' || hedge === 'off' || (typeof hedge === 'number' && Number.isInteger(hedge) && hedge >= 0)) {
    settings.hedgeDelay = hedge;
  } else if (hedge !== undefined && hedge !== null) {
    reject('hedgeDelay', 'a non-negative integer number of milliseconds, "auto", "off" or null', hedge);
  }

  const rules = read('rules');
  if (typeof rules === 'object' && rules !== null && !Array.isArray(rules)) {
    for (const [rule, severity] of Object.entries(rules)) {
      if ((ruleSeverities as readonly unknown[]).includes(severity)) {
        settings.rules[rule] = severity as RuleSeverity;
      } else {
        reject(`rules.${rule}`, `one of ${ruleSeverities.map((s) => `"${s}"`).join(', ')}`, severity);
      }
    }
  } else if (rules !== undefined && rules !== null) {
    reject('rules', 'an object mapping rule ids to severities', rules);
  }

  return { settings, problems };
}

/** Command-line arguments for `perfectex`: only the flags whose settings the user set, then the extra ones. */
export function serverArguments(settings: Settings): string[] {
  const args = ['serve', '--stdio'];
  if (settings.hedgeDelay !== null) {
    args.push('--hedge-ms', String(settings.hedgeDelay));
  }
  args.push(...settings.serverArgs);
  return args;
}

/** How to reach the server, or an error sentence when the settings do not say enough. */
export function launchPlan(settings: Settings): LaunchPlan | { error: string } {
  if (settings.transport === 'tcp') {
    if (settings.tcpPort === null) {
      return { error: 'perfectex.transport is "tcp" but perfectex.tcp.port is not set.' };
    }
    return { transport: 'tcp', host: settings.tcpHost, port: settings.tcpPort };
  }
  return { transport: 'stdio', command: settings.serverPath, args: serverArguments(settings) };
}

/**
 * True when going from `before` to `after` needs a new server: the way to launch or reach it changed, or the
 * budget was cleared, which the running server cannot take back to its default through a settings push.
 */
export function restartNeeded(before: Settings, after: Settings): boolean {
  const launchChanged = JSON.stringify(launchPlan(before)) !== JSON.stringify(launchPlan(after));
  return launchChanged || (before.p99BudgetMs !== null && after.p99BudgetMs === null);
}

export function serverSettings(settings: Settings): ServerSettings {
  const result: ServerSettings = { rules: { ...settings.rules } };
  if (settings.p99BudgetMs !== null) {
    result.p99BudgetMs = settings.p99BudgetMs;
  }
  return result;
}

/**
 * The answer to one `workspace/configuration` item: the server settings for the `perfectex` section, the
 * matching part for a sub-section such as `perfectex.rules`, and null for sections that are not ours.
 */
export function configurationItem(section: string | undefined, settings: Settings): unknown {
  const root = serverSettings(settings);
  if (section === configurationSection) {
    return root;
  }
  const prefix = `${configurationSection}.`;
  if (section === undefined || !section.startsWith(prefix)) {
    return null;
  }
  let value: unknown = root;
  for (const part of section.slice(prefix.length).split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) {
      return null;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
