import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specFormat } from '../../server/spec/formatting';

function format(text: string, options = { tabSize: 2, insertSpaces: true }): string {
  const doc = TextDocument.create('file:///w/f.circuit.json', 'circuit-run', 1, text);
  return TextDocument.applyEdits(doc, specFormat(doc, options));
}

describe('specFormat', () => {
  it('formats and keeps comments and trailing commas', () => {
    const text = '{"Image":"busybox", // the image\n/* limits */ "Memory":536870912,"Args":["-l","/"],}';
    assert.equal(format(text), '{\n  "Image": "busybox", // the image\n  /* limits */ "Memory": 536870912,\n  "Args": [\n    "-l",\n    "/"\n  ],\n}');
  });

  it('uses tabs when asked, and keeps CRLF line ends', () => {
    assert.equal(format('{"Image":"b"}', { tabSize: 4, insertSpaces: false }), '{\n\t"Image": "b"\n}');
    assert.equal(format('{"Image":"b",\r\n"Dir":"/"}'), '{\r\n  "Image": "b",\r\n  "Dir": "/"\r\n}');
  });

  it('formats a range only', () => {
    const text = '{"Image":"b",\n"Env":["A=1",   "B=2"],\n"Dir":   "/"}';
    const doc = TextDocument.create('file:///w/f.circuit.json', 'circuit-run', 1, text);
    const line = { start: { line: 1, character: 0 }, end: { line: 1, character: 22 } };
    const after = TextDocument.applyEdits(doc, specFormat(doc, { tabSize: 2, insertSpaces: true }, line));
    assert.ok(after.endsWith('"Dir":   "/"}'), after);
    assert.ok(!after.includes('"A=1",   "B=2"'), after);
  });

  it('leaves a formatted spec alone', () => {
    const text = '{\n  "Image": "busybox"\n}';
    const doc = TextDocument.create('file:///w/f.circuit.json', 'circuit-run', 1, text);
    assert.deepEqual(specFormat(doc, { tabSize: 2, insertSpaces: true }), []);
  });
});
