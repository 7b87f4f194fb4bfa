import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import { CliError, anchorTable, errorLine, lineColumn, problemLines, table } from '../../cli/format';
import { parseCommandLine } from '../../cli/main';

describe('cli format', () => {
  it('says a failure in one line with its reason', () => {
    assert.equal(errorLine(new ResponseError(-32015, 'There is no element at /local/x.', { reason: 'no-element' })), 'circuit: no-element: There is no element at /local/x.');
    assert.equal(errorLine(new ResponseError(-32013, 'Memory must be a number\nof bytes', { reason: 'invalid-run', field: 'Memory' })), 'circuit: invalid-run: Memory must be a number of bytes (field Memory)');
    assert.equal(errorLine(new CliError('usage', 'peek takes PATH', 2)), 'circuit: usage: peek takes PATH');
    assert.equal(errorLine(new Error('boom')), 'circuit: error: boom');
  });

  it('places offsets at 1-based line and column', () => {
    const text = '{\n  "Image": "",\n\n  "x": 1\n}';
    assert.deepEqual(lineColumn(text, 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn(text, text.indexOf('""')), { line: 2, column: 12 });
    assert.deepEqual(lineColumn(text, text.indexOf('"x"')), { line: 4, column: 3 });
    assert.deepEqual(lineColumn(text, text.length + 10), { line: 5, column: 2 });
    assert.equal(problemLines('f.json', text, [{ code: 'image-required', severity: 'error', message: 'Image is required', offset: 13 }]), 'f.json:2:12: error: Image is required [image-required]\n');
  });

  it('pads table columns to the widest cell', () => {
    assert.equal(table(['A', 'BB'], [['xyz', '1'], ['q', '22']]), 'A    BB\nxyz  1\nq    22\n');
    const rows = anchorTable([{ name: 'a', path: '/local/a', element: null, children: 2 }]);
    assert.equal(rows.split('\n')[1], '/local/a  -        -      -     -      -   2');
  });
});

describe('cli command line', () => {
  it('takes hosts, --json and verb flags anywhere', () => {
    const line = parseCommandLine(['--host', 'a=unix:///x.sock', 'ls', '-l', '--json', '/local/...', '--host=b=tcp://h:2375']);
    assert.equal(line.verb, 'ls');
    assert.deepEqual(line.args, ['/local/...']);
    assert.deepEqual([...line.flags], ['-l']);
    assert.equal(line.json, true);
    assert.deepEqual(line.hosts, [{ name: 'a', docker: 'unix:///x.sock' }, { name: 'b', docker: 'tcp://h:2375' }]);
    const make = parseCommandLine(['mkdkr', '/local/x', '-f', 'spec.json', '--scrub']);
    assert.equal(make.options.get('-f'), 'spec.json');
    assert.ok(make.flags.has('--scrub'));
    assert.deepEqual(parseCommandLine(['signal', '--', '-KILL', '/local/x']).args, ['-KILL', '/local/x']);
  });

  it('refuses what it does not know as a usage error (status 2)', () => {
    for (const argv of [['ls', '-x'], ['--host', 'nohost', 'hosts'], ['mkdkr', '/x', '-f'], ['peek', '--scrub', '/x']]) {
      assert.throws(() => parseCommandLine(argv), (err: unknown) => err instanceof CliError && err.reason === 'usage' && err.status === 2, argv.join(' '));
    }
  });
});
