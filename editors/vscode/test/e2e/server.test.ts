// End-to-end test of the extension's protocol path against the real perfectex binary: the extension's
// ServerController and settings drive a vscode-languageserver-protocol client that spawns the server, opens
// corpus documents with errors, receives the diagnostics, asks for the quick fixes and applies them, pushes
// rule severities live, reads the statistics, restarts, and shuts the server down cleanly.
// Needs PERFECTEX_SERVER (the binary) and PERFECTEX_CORPUS_DIR (../shared/corpus); CTest passes both.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CodeActionKind, CodeActionRequest, DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Command, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { ServerController } from '../../src/controller';
import { defaultSettings, readSettings } from '../../src/settings';
import type { Settings } from '../../src/settings';
import { statusView } from '../../src/stats';
import { ProtocolClient } from '../support/protocol_client';

const serverPath = process.env.PERFECTEX_SERVER;
const corpusDir = process.env.PERFECTEX_CORPUS_DIR;
if (serverPath === undefined || corpusDir === undefined) {
  throw new Error('set PERFECTEX_SERVER to the perfectex binary and PERFECTEX_CORPUS_DIR to ../shared/corpus');
}

const waitMs = 20_000;
const testOptions = { timeout: 60_000 };
const workspace = mkdtempSync(join(tmpdir(), 'perfectex-vscode-e2e-'));
const workspaceUri = pathToFileURL(workspace).href;
const bigDocumentPath = join(corpusDir, 'perf', 'perf_smoke_big.tex');
const mismatchText = '\\begin{itemize}\n\\item x\n\\end{enumerate}\n';

function withCode(params: PublishDiagnosticsParams, code: string): Diagnostic[] {
  return params.diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/** A URI in the temporary workspace; the documents live only in the client and the server, never on disk. */
function workspaceDocument(name: string): string {
  return pathToFileURL(join(workspace, name)).href;
}

function isCodeAction(item: CodeAction | Command): item is CodeAction {
  return !('command' in item && typeof item.command === 'string');
}

describe('the extension protocol path against the real server', () => {
  let settings: Settings;
  const clients: ProtocolClient[] = [];
  let controller: ServerController;
  const current = (): ProtocolClient => {
    const client = clients.at(-1);
    assert.ok(client, 'no client was created');
    return client;
  };

  before(() => {
    settings = readSettings((key) => ({ 'server.path': serverPath, p99BudgetMs: 20 })[key]).settings;
    controller = new ServerController(
      (plan) => {
        const client = new ProtocolClient(plan, () => settings, workspaceUri);
        clients.push(client);
        return client;
      },
      settings,
      { statsIntervalMs: 0 },
    );
  });

  after(async () => {
    await controller.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('starts the server with the command line built from the settings', testOptions, async () => {
    await controller.start();
    assert.equal(controller.current.state, 'running', controller.current.detail);
    const client = current();
    assert.deepEqual(client.plan, { transport: 'stdio', command: serverPath, args: ['serve', '--stdio'] });
    const result = client.initializeResult;
    assert.equal(result?.serverInfo?.name, 'perfectex');
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix] });
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  });

  it('reports the unclosed document environment of the truncated corpus file and fixes it', testOptions, async () => {
    const client = current();
    const uri = pathToFileURL(bigDocumentPath).href;
    await client.open(uri, 'latex', readFileSync(bigDocumentPath, 'utf8'));
    const opened = await client.waitForDiagnostics(uri, (params) => params.version === 1, waitMs);
    const [unclosed, ...others] = withCode(opened, 'unclosed-environment');
    assert.ok(unclosed, `no unclosed-environment among ${opened.diagnostics.length} diagnostics`);
    assert.deepEqual(others, []);
    assert.deepEqual(unclosed.range.start, { line: 25, character: 0 });
    assert.equal(unclosed.severity, DiagnosticSeverity.Error);
    assert.equal(unclosed.source, 'perfectex');

    const actions = await client.sendRequest(CodeActionRequest.method, {
      textDocument: { uri },
      range: unclosed.range,
      context: { diagnostics: [unclosed], only: [CodeActionKind.QuickFix] },
    });
    assert.ok(Array.isArray(actions), `codeAction returned ${JSON.stringify(actions)}`);
    const fix = (actions as (CodeAction | Command)[]).filter(isCodeAction).find((action) => action.title === 'Insert \\end{document}');
    assert.ok(fix, `no "Insert \\end{document}" among ${JSON.stringify(actions)}`);
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    assert.ok(fix.edit, 'the quick fix carries no edit');
    await client.applyWorkspaceEdit(fix.edit);
    assert.match(client.text(uri), /\\end\{document\}\s*$/);

    const fixed = await client.waitForDiagnostics(uri, (params) => params.version === 2, waitMs);
    assert.deepEqual(withCode(fixed, 'unclosed-environment'), []);
    await client.close(uri);
    const closed = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0, waitMs);
    assert.deepEqual(closed.diagnostics, []);
  });

  it('replaces a mismatched \\end with the environment that is open', testOptions, async () => {
    const client = current();
    const uri = workspaceDocument('mismatch.tex');
    await client.open(uri, 'latex', mismatchText);
    const opened = await client.waitForDiagnostics(uri, (params) => params.version === 1, waitMs);
    const [mismatch] = withCode(opened, 'mismatched-environment');
    assert.ok(mismatch, `no mismatched-environment in ${JSON.stringify(opened.diagnostics)}`);
    assert.deepEqual(mismatch.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 15 } });

    const actions = (await client.sendRequest(CodeActionRequest.method, {
      textDocument: { uri },
      range: mismatch.range,
      context: { diagnostics: [mismatch], only: [CodeActionKind.QuickFix] },
    })) as (CodeAction | Command)[];
    const fix = actions.filter(isCodeAction).find((action) => action.title === 'Replace with \\end{itemize}');
    assert.ok(fix?.edit, `no "Replace with \\end{itemize}" edit among ${JSON.stringify(actions)}`);
    await client.applyWorkspaceEdit(fix.edit);
    assert.equal(client.text(uri), '\\begin{itemize}\n\\item x\n\\end{itemize}\n');
    const fixed = await client.waitForDiagnostics(uri, (params) => params.version === 2, waitMs);
    assert.deepEqual(withCode(fixed, 'mismatched-environment'), []);
    await client.close(uri);
  });

  it('applies rule severities live, without restarting the server', testOptions, async () => {
    const client = current();
    const pid = client.pid;
    const check = async (name: string): Promise<Diagnostic[]> => {
      const uri = workspaceDocument(`${name}.tex`);
      await client.open(uri, 'latex', mismatchText);
      const published = await client.waitForDiagnostics(uri, (params) => params.version === 1, waitMs);
      await client.close(uri);
      return withCode(published, 'mismatched-environment');
    };

    settings = { ...settings, rules: { 'mismatched-environment': 'hint' } };
    assert.equal(await controller.updateSettings(settings), 'pushed');
    const hinted = await check('as-hint');
    assert.equal(hinted.length, 1);
    assert.equal(hinted[0]?.severity, DiagnosticSeverity.Hint);

    settings = { ...settings, rules: { 'mismatched-environment': 'off' } };
    assert.equal(await controller.updateSettings(settings), 'pushed');
    assert.deepEqual(await check('turned-off'), []);

    settings = { ...settings, rules: {} };
    assert.equal(await controller.updateSettings(settings), 'pushed');
    assert.equal((await check('default'))[0]?.severity, DiagnosticSeverity.Error);
    assert.equal(current().pid, pid);
  });

  it('reads statistics that the status bar and the report can show', testOptions, async () => {
    const stats = await controller.stats();
    assert.ok(stats.edits >= 2, `edits: ${stats.edits}`);
    // Five documents were opened and two edited, and a publish arrived for each of those seven versions.
    assert.ok(stats.publishes >= 7, `publishes: ${stats.publishes}`);
    assert.ok(stats.analyses >= 7, `analyses: ${stats.analyses}`);
    assert.ok(stats.edit_to_publish_ms.count >= 2, `edit_to_publish_ms.count: ${stats.edit_to_publish_ms.count}`);
    assert.ok(stats.edit_to_publish_ms.p99 > 0 && stats.edit_to_publish_ms.p99 <= stats.edit_to_publish_ms.max);
    assert.equal(stats.documents, 0);
    assert.match(statusView('running', stats).text, /^\$\(check\) perfectex P99 \d+\.\d+ ms$/);
    assert.equal(stats.p99_budget_ms, 20);
  });

  it('changes the latency budget live, and restarts to go back to the default', testOptions, async () => {
    const pid = current().pid;
    settings = { ...settings, p99BudgetMs: 7.5 };
    assert.equal(await controller.updateSettings(settings), 'pushed');
    assert.equal((await controller.stats()).p99_budget_ms, 7.5);
    assert.equal(current().pid, pid);

    const old = current();
    settings = { ...settings, p99BudgetMs: null };
    assert.equal(await controller.updateSettings(settings), 'restarted');
    assert.deepEqual(await old.exitStatus(), { code: 0, signal: null });
    const restarted = await controller.stats();
    assert.notEqual(restarted.p99_budget_ms, 7.5);
  });

  it('restarts into a new server process after the old one exits cleanly', testOptions, async () => {
    const old = current();
    const oldPid = old.pid;
    await controller.restart();
    assert.deepEqual(await old.exitStatus(), { code: 0, signal: null });
    assert.equal(controller.current.state, 'running');
    assert.notEqual(current().pid, oldPid);
    const stats = await controller.stats();
    assert.equal(stats.edits, 0);
  });

  it('restarts with the new command line when a launch setting changes', testOptions, async () => {
    const old = current();
    settings = { ...settings, serverArgs: ['--max-message-mb', '64'] };
    assert.equal(await controller.updateSettings(settings), 'restarted');
    assert.deepEqual(await old.exitStatus(), { code: 0, signal: null });
    assert.deepEqual(current().plan, { transport: 'stdio', command: serverPath, args: ['serve', '--stdio', '--max-message-mb', '64'] });
    assert.equal(controller.current.state, 'running');
  });

  it('shuts the server down cleanly on stop', testOptions, async () => {
    const last = current();
    await controller.stop();
    assert.deepEqual(await last.exitStatus(), { code: 0, signal: null });
    assert.equal(controller.current.state, 'stopped');
  });

  it('reports a missing executable as a failure with the reason', testOptions, async () => {
    const missing = { ...defaultSettings, serverArgs: [], rules: {}, serverPath: join(workspace, 'no-such-perfectex') };
    const failing = new ServerController((plan) => new ProtocolClient(plan, () => missing, workspaceUri), missing, { statsIntervalMs: 0 });
    await failing.start();
    assert.equal(failing.current.state, 'failed');
    assert.match(failing.current.detail ?? '', /ENOENT/);
  });
});
