// VS Code entry point: wires the `perfectex.*` settings, the two commands and the status bar item to a
// ServerController whose clients are vscode-languageclient LanguageClients (stdio child process or TCP).
// Diagnostics and quick fixes come from the server through the client's standard features.

import * as net from 'node:net';
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions, StreamInfo } from 'vscode-languageclient/node';
import { ServerController } from './controller';
import type { ManagedClient } from './controller';
import { configurationItem, configurationSection, readSettings } from './settings';
import type { LaunchPlan, Settings } from './settings';
import { statsReport, statusView } from './stats';

const statsIntervalMs = 5000;
const stopTimeoutMs = 2000;

let controller: ServerController | undefined;

function currentSettings(output: vscode.LogOutputChannel): Settings {
  const configuration = vscode.workspace.getConfiguration(configurationSection);
  const { settings, problems } = readSettings((key) => configuration.get(key));
  for (const problem of problems) {
    output.warn(problem);
    void vscode.window.showWarningMessage(problem);
  }
  return settings;
}

function serverOptions(plan: LaunchPlan): ServerOptions {
  if (plan.transport === 'stdio') {
    return { command: plan.command, args: plan.args };
  }
  return () =>
    new Promise<StreamInfo>((resolve, reject) => {
      const socket = net.connect({ host: plan.host, port: plan.port });
      socket.once('connect', () => {
        resolve({ reader: socket, writer: socket });
      });
      socket.once('error', (error) => {
        reject(new Error(`cannot reach the perfectex server at ${plan.host}:${plan.port}: ${error.message}`));
      });
    });
}

function createClient(plan: LaunchPlan, output: vscode.LogOutputChannel, settings: () => Settings): ManagedClient {
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['latex', 'tex', 'bibtex'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    middleware: {
      workspace: {
        configuration: (params) => params.items.map((item) => configurationItem(item.section, settings())),
      },
    },
  };
  const client = new LanguageClient('perfectex', 'perfectex', serverOptions(plan), clientOptions);
  return {
    start: () => client.start(),
    stop: () => client.dispose(stopTimeoutMs),
    sendRequest: (method, params) => client.sendRequest<unknown>(method, params),
    sendNotification: (method, params) => client.sendNotification(method, params),
    onRunningChange: (listener) =>
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) {
          listener(true);
        } else if (event.newState === State.Stopped) {
          listener(false);
        }
      }),
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('perfectex', { log: true });
  const statsOutput = vscode.window.createOutputChannel('perfectex statistics');
  let settings = currentSettings(output);
  const server = new ServerController((plan) => createClient(plan, output, () => settings), settings, { statsIntervalMs });
  controller = server;

  const status = vscode.window.createStatusBarItem('perfectex.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'perfectex';
  status.command = 'perfectex.showServerStatistics';
  const render = (): void => {
    const { state, detail, stats } = server.current;
    const view = statusView(state, stats, detail);
    status.text = view.text;
    status.tooltip = view.tooltip;
    status.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  render();
  status.show();

  context.subscriptions.push(
    output,
    statsOutput,
    status,
    server,
    server.onDidChange(render),
    vscode.commands.registerCommand('perfectex.restartServer', async () => {
      await server.restart();
      if (server.current.state === 'failed') {
        void vscode.window.showErrorMessage(`perfectex: the server did not start: ${server.current.detail ?? 'unknown reason'}`);
      }
    }),
    vscode.commands.registerCommand('perfectex.showServerStatistics', async () => {
      try {
        const stats = await server.stats();
        statsOutput.clear();
        statsOutput.appendLine(statsReport(stats));
        statsOutput.show(true);
      } catch (error) {
        void vscode.window.showErrorMessage(`perfectex: no statistics: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(configurationSection)) {
        settings = currentSettings(output);
        await server.updateSettings(settings);
      }
    }),
  );

  await server.start();
  if (server.current.state === 'failed') {
    void vscode.window.showErrorMessage(`perfectex: the server did not start: ${server.current.detail ?? 'unknown reason'}`);
  }
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
