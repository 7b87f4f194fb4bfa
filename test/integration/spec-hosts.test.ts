/**
 * Run-spec diagnostics follow the configured hosts: hosts added by workspace/didChangeConfiguration are
 * watched, and open specs are judged against them without the user touching the file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer, until } from '../support/server';

describe('Run-spec diagnostics and the configured hosts', () => {
  it('judge open specs against a host configured after they were opened', async () => {
    const server = await startServer({ hosts: [{ name: 'gone', docker: 'unix:///tmp/circuit-no-such-engine.sock' }] });
    try {
      const pushed: PublishDiagnosticsParams[] = [];
      server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        pushed.push(p);
      });
      const uri = 'file:///circuit-spec-hosts-test/absent.circuit.json';
      await server.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'circuit-run', version: 1, text: '{ "Image": "circuit-never-imported:1", "Path": "true" }' },
      });
      // No host answers: whether the image is there is unknown, so nothing is said of it.
      const first = await until(() => pushed.find((p) => p.uri === uri), 10_000, 'first diagnostics');
      assert.deepEqual(first.diagnostics.map((d) => d.code), []);

      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { circuit: { hosts: [{ name: 'local', docker: 'unix:///var/run/docker.sock' }] } } });
      const absent = await until(() => pushed.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'image-absent')), 10_000, 'image-absent once the new host is connected');
      assert.match(String(absent.diagnostics.find((d) => d.code === 'image-absent')!.message), /local/);
    } finally {
      await server.stop();
    }
  });
});
