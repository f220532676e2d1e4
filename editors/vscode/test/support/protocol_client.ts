// A Node LSP client for the end-to-end tests, built on vscode-languageserver-protocol as the extension's
// vscode-languageclient is: it reaches the server by a LaunchPlan (spawned process or TCP), answers
// workspace/configuration with the extension's own answer, keeps open documents in step with the edits it
// applies (sent as incremental changes, as VS Code does), and records every publishDiagnostics.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import type {
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Disposable, ManagedClient } from '../../src/controller';
import { configurationItem } from '../../src/settings';
import type { LaunchPlan, Settings } from '../../src/settings';

const exitTimeoutMs = 5000;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface PublishWaiter {
  uri: string;
  accept: (params: PublishDiagnosticsParams) => boolean;
  resolve: (params: PublishDiagnosticsParams) => void;
}

function comparePositions(a: TextEdit, b: TextEdit): number {
  return b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character;
}

export class ProtocolClient implements ManagedClient {
  initializeResult: InitializeResult | undefined;
  private connection: ProtocolConnection | undefined;
  private child: ChildProcessWithoutNullStreams | undefined;
  private exit: Promise<ExitStatus> | undefined;
  private stopping = false;
  private readonly documents = new Map<string, TextDocument>();
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters = new Set<PublishWaiter>();
  private readonly runningListeners = new Set<(running: boolean) => void>();

  constructor(
    readonly plan: LaunchPlan,
    private readonly settings: () => Settings,
    private readonly rootUri: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Resolves when the spawned server process has exited. */
  exitStatus(): Promise<ExitStatus> {
    if (this.exit === undefined) {
      return Promise.reject(new Error('no server process was spawned'));
    }
    return this.exit;
  }

  async start(): Promise<void> {
    const streams = this.plan.transport === 'stdio' ? await this.spawnServer(this.plan.command, this.plan.args) : await this.connectTcp(this.plan.host, this.plan.port);
    const connection = createProtocolConnection(new StreamMessageReader(streams.input), new StreamMessageWriter(streams.output));
    this.connection = connection;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.onPublish(params);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => configurationItem(item.section, this.settings())));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.onClose(() => {
      if (!this.stopping) {
        for (const listener of this.runningListeners) {
          listener(false);
        }
      }
    });
    connection.listen();
    this.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'perfectex-node-test-client' },
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- VS Code still sends it, and servers may read it.
      rootUri: this.rootUri,
      workspaceFolders: [{ uri: this.rootUri, name: 'workspace' }],
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
            isPreferredSupport: true,
          },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    if (connection === undefined) {
      return;
    }
    this.stopping = true;
    try {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      if (this.child !== undefined && this.exit !== undefined) {
        const child = this.child;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`the server did not exit within ${exitTimeoutMs} ms of shutdown and exit`));
          }, exitTimeoutMs);
        });
        try {
          await Promise.race([this.exit, timeout]);
        } finally {
          clearTimeout(timer);
        }
      }
    } finally {
      connection.dispose();
      this.connection = undefined;
    }
  }

  sendRequest(method: string, params?: unknown): Promise<unknown> {
    return this.requireConnection().sendRequest(method, params);
  }

  sendNotification(method: string, params: unknown): Promise<void> {
    return this.requireConnection().sendNotification(method, params);
  }

  onRunningChange(listener: (running: boolean) => void): Disposable {
    this.runningListeners.add(listener);
    return { dispose: () => this.runningListeners.delete(listener) };
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    await this.requireConnection().sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: document.version, text },
    });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.requireConnection().sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.requireDocument(uri).getText();
  }

  version(uri: string): number {
    return this.requireDocument(uri).version;
  }

  /**
   * Applies a workspace edit to the open documents and tells the server, one didChange per document with the
   * edits as incremental changes from the last to the first, so each range is still valid when applied.
   */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    if (edit.documentChanges !== undefined) {
      throw new Error('this client asked for `changes` only, but the server sent `documentChanges`');
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const document = this.requireDocument(uri);
      const expected = TextDocument.applyEdits(document, edits);
      const changes: TextDocumentContentChangeEvent[] = [...edits].sort(comparePositions).map((textEdit) => ({ range: textEdit.range, text: textEdit.newText }));
      const updated = TextDocument.update(document, changes, document.version + 1);
      if (updated.getText() !== expected) {
        throw new Error(`the edits for ${uri} overlap; applying them one by one does not give the intended text`);
      }
      this.documents.set(uri, updated);
      await this.requireConnection().sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: updated.version },
        contentChanges: changes,
      });
    }
  }

  /** The newest publishDiagnostics for `uri` that `accept` takes, waiting up to `timeoutMs` for it. */
  waitForDiagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs: number): Promise<PublishDiagnosticsParams> {
    const current = this.latest.get(uri);
    if (current !== undefined && accept(current)) {
      return Promise.resolve(current);
    }
    return new Promise((resolve, reject) => {
      const waiter: PublishWaiter = { uri, accept, resolve };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const last = this.latest.get(uri);
        reject(new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms; the last one was ${last === undefined ? 'none' : JSON.stringify(last).slice(0, 2000)}`));
      }, timeoutMs);
      waiter.resolve = (params) => {
        clearTimeout(timer);
        resolve(params);
      };
      this.waiters.add(waiter);
    });
  }

  private onPublish(params: PublishDiagnosticsParams): void {
    this.latest.set(params.uri, params);
    for (const waiter of this.waiters) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        this.waiters.delete(waiter);
        waiter.resolve(params);
      }
    }
  }

  private async spawnServer(command: string, args: string[]): Promise<{ input: NodeJS.ReadableStream; output: NodeJS.WritableStream }> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
    });
    child.stdin.on('error', () => undefined);
    await once(child, 'spawn');
    return { input: child.stdout, output: child.stdin };
  }

  private async connectTcp(host: string, port: number): Promise<{ input: NodeJS.ReadableStream; output: NodeJS.WritableStream }> {
    const socket = net.connect({ host, port });
    await once(socket, 'connect');
    return { input: socket, output: socket };
  }

  private requireConnection(): ProtocolConnection {
    if (this.connection === undefined) {
      throw new Error('the client is not connected');
    }
    return this.connection;
  }

  private requireDocument(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (document === undefined) {
      throw new Error(`${uri} is not open`);
    }
    return document;
  }
}
