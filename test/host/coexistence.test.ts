// Switchyard beside yaml-language-server, the language server of Red Hat's YAML extension (the
// extension itself cannot be installed here: no Marketplace or Open VSX). The suite is the client:
// it starts the real server in this extension host with a JSON schema for Deployments, as Red Hat's
// extension does, so the hovers and diagnostics Switchyard meets are the server's own. Stopped at
// the end, which removes its providers for whatever runs next.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { findFieldDoc } from '../../src/domain/docs/fieldDocs';
import { closeAllEditors, extension, tempPath, waitFor } from './support';
import { suite, suiteSetup, suiteTeardown, teardown, test } from './tdd';

/** Starts yaml-language-server for YAML documents, its settings answered from here. */
async function startYamlLanguageServer(): Promise<LanguageClient> {
  const server = join(dirname(require.resolve('yaml-language-server/package.json')), 'out', 'src', 'server.js');
  const schema = join(extension().extensionPath, 'test', 'fixtures', 'schemas', 'deployment.schema.json');
  const settings: Record<string, any> = {
    yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: { [schema]: ['*.yaml'] } },
  };
  const client = new LanguageClient('switchyard-tests.yaml-language-server', 'yaml-language-server (Switchyard tests)', { module: server, transport: TransportKind.ipc }, {
    documentSelector: [{ language: 'yaml' }],
    middleware: {
      workspace: {
        configuration: (params) => params.items.map((item) => (item.section ? item.section.split('.').reduce((v: any, k) => v?.[k], settings) ?? null : settings)),
      },
    },
  });
  await client.start();
  await client.sendNotification('workspace/didChangeConfiguration', { settings });
  return client;
}

const textsOf = (hovers: vscode.Hover[]) => hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'));

function yamlFile(name: string, content: string): vscode.Uri {
  const file = tempPath(name);
  writeFileSync(file, content);
  return vscode.Uri.file(file);
}

const ROLLING = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
          ports: [{containerPort: 8080}]
`;

suite('Beside yaml-language-server (the engine of Red Hat\'s YAML extension)', () => {
  let client: LanguageClient | undefined;
  suiteSetup(async function () {
    // The server runs on the extension host's Node (code-server: 24); yaml-language-server 2 needs
    // 22.13 or later, which a desktop VS Code on an older Electron does not have.
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 13)) {
      console.log(`host: yaml-language-server needs Node >= 22.13, this host runs ${process.version}: coexistence tests skipped`);
      this.skip();
    }
    client = await startYamlLanguageServer();
  });
  suiteTeardown(async () => {
    await client?.dispose();
  });
  teardown(closeAllEditors);

  test('on a field the schema describes, both hovers show once, and ours leaves the description to the schema', async () => {
    const uri = yamlFile('rolling.yaml', ROLLING);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const position = document.positionAt(ROLLING.indexOf('maxSurge') + 3);
    // The server starts and loads the schema on the first request (and Switchyard may still be
    // activating when this suite runs alone); ask until both answer.
    // Ours asks the others with a time limit (400 ms): on a busy machine the server's first answers
    // may come too late for it, and ours then keeps its summary. Ask until ours has seen the server's.
    const doc = findFieldDoc('apps', 'Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])!;
    const answered = (texts: string[]) => texts.some((t) => t.includes('(schema text)')) && texts.some((t) => t.includes('*Release impact:*') && !t.includes(doc.summary));
    let hovers: string[] = [];
    const deadline = Date.now() + 30_000;
    while (!answered(hovers) && Date.now() < deadline) {
      hovers = textsOf(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position));
      if (!answered(hovers)) await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(hovers.filter((t) => t.includes('(schema text)')).length, 1, `the server's hover: ${JSON.stringify(hovers)}`);
    const ours = hovers.filter((t) => t.includes('*Release impact:*'));
    assert.equal(ours.length, 1, `one Switchyard hover: ${JSON.stringify(hovers)}`);
    assert.ok(!ours[0].includes(doc.summary), 'our summary is left out beside the schema description');
    assert.ok(ours[0].includes(doc.release), 'our release impact stays');
  });

  test('a syntax error shows once, from the server; Switchyard keeps its release findings', async () => {
    const broken = `${ROLLING}---\nkind: Service\nspec: [unclosed\n`;
    const uri = yamlFile('broken.yaml', broken);
    await vscode.window.showTextDocument(uri);
    const all = () => vscode.languages.getDiagnostics(uri);
    const describe = () => all().map((d) => `${d.range.start.line}: ${d.source}: ${d.message}`).join(' | ');
    const serverLines = await waitFor('the server\'s syntax error', () => {
      const lines = all().filter((d) => d.source !== 'switchyard' && d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.range.start.line);
      return lines.length ? new Set(lines) : undefined;
    }, 30_000);
    const ours = await waitFor('our release findings', () => {
      const mine = all().filter((d) => d.source === 'switchyard');
      return mine.some((d) => String(d.code) === 'no-readiness-probe') ? mine : undefined;
    });
    // Ours may have been published before the server's: the re-check on their change removes it.
    await waitFor(`no Switchyard copy of a syntax error the server reports (${describe()})`, () =>
      all().some((d) => d.source === 'switchyard' && String(d.code) === 'yaml-syntax' && serverLines.has(d.range.start.line)) ? undefined : true,
    );
    assert.ok(ours.length > 0);
  });
});
