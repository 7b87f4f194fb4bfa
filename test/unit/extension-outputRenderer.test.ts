import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endLine, OutputRenderer } from '../../extension/outputRenderer';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the terminal output renderer', () => {
  it('makes LF a CRLF and colors stderr red', () => {
    const r = new OutputRenderer();
    assert.equal(r.render('stdout', bytes('a\nb\r\nc')), 'a\r\nb\r\nc');
    assert.equal(r.endsLine, false);
    assert.equal(r.render('stderr', bytes('oops\n')), '\x1b[31moops\r\n\x1b[39m');
    assert.equal(r.endsLine, true);
  });

  it('keeps a UTF-8 character split across chunks, per stream', () => {
    const r = new OutputRenderer();
    const euro = bytes('€'); // 3 bytes
    assert.equal(r.render('stdout', euro.subarray(0, 1)), '');
    assert.equal(r.render('stderr', bytes('x')), '\x1b[31mx\x1b[39m');
    assert.equal(r.render('stdout', euro.subarray(1)), '€');
    assert.deepEqual(r.bytesShown, { stdout: 3, stderr: 1 });
  });

  it('skips what it showed when a new session replays from the start', () => {
    const r = new OutputRenderer();
    r.render('stdout', bytes('one\ntwo\n'));
    r.render('stderr', bytes('err\n'));
    r.replayFromStart();
    // The replay comes in other chunk sizes than the first time.
    assert.equal(r.render('stdout', bytes('one\n')), '');
    assert.equal(r.render('stderr', bytes('err\n')), '');
    assert.equal(r.render('stdout', bytes('two\nthree\n')), 'three\r\n');
    assert.equal(r.render('stderr', bytes('more\n')), '\x1b[31mmore\r\n\x1b[39m');
    assert.deepEqual(r.bytesShown, { stdout: 14, stderr: 9 });
  });

  it('ends with the exit code', () => {
    assert.match(endLine('exited', 0), /\[container exited with code 0\]/);
    assert.match(endLine('exited', 137), /code 137/);
    assert.match(endLine('exited', null), /\[container exited\]/);
    assert.match(endLine('scrubbed'), /scrubbed/);
  });
});
