import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EditorAction, LineEditor } from '../../extension/lineEditor';

const sent = (actions: EditorAction[]) => actions.filter((a) => a.kind === 'send').map((a) => (a as { text: string }).text);
const echoed = (actions: EditorAction[]) => actions.filter((a) => a.kind === 'write').map((a) => (a as { text: string }).text).join('');

describe('the terminal line editor', () => {
  it('echoes typing and sends the line on Enter', () => {
    const ed = new LineEditor();
    const typing = ed.input('hello');
    assert.equal(echoed(typing), 'hello');
    assert.deepEqual(sent(typing), []);
    const enter = ed.input('\r');
    assert.deepEqual(sent(enter), ['hello\n']);
    assert.equal(echoed(enter), '\r\n');
    assert.equal(ed.line, '');
  });

  it('handles a paste of several lines in one chunk', () => {
    const ed = new LineEditor();
    assert.deepEqual(sent(ed.input('one\rtwo\rthr')), ['one\n', 'two\n']);
    assert.equal(ed.line, 'thr');
  });

  it('edits with Backspace, arrows, Home/End, Delete and Ctrl-U', () => {
    const ed = new LineEditor();
    ed.input('helo');
    assert.equal(echoed(ed.input('\x1b[D')), '\x1b[D'); // cursor before "o"
    const insert = ed.input('l');
    assert.equal(echoed(insert), 'lo\x1b[1D'); // redraws the tail, cursor back over it
    assert.equal(ed.line, 'hello');
    ed.input('\x1b[H'); // Home
    assert.equal(echoed(ed.input('\x7f')), '\x07'); // nothing before the cursor: bell
    ed.input('\x1b[3~'); // Delete "h"
    assert.equal(ed.line, 'ello');
    ed.input('\x05'); // Ctrl-E
    ed.input('\x7f');
    assert.equal(ed.line, 'ell');
    assert.equal(echoed(ed.input('\x15')), '\x1b[3D\x1b[K');
    assert.equal(ed.line, '');
    assert.deepEqual(sent(ed.input('x\r')), ['x\n']);
  });

  it('keeps multi-byte characters whole', () => {
    const ed = new LineEditor();
    ed.input('h€🙂');
    ed.input('\x7f');
    assert.equal(ed.line, 'h€');
    assert.deepEqual(sent(ed.input('\r')), ['h€\n']);
  });

  it('Ctrl-D sends a partial line, then closes stdin on an empty one', () => {
    const ed = new LineEditor();
    ed.input('abc');
    const flush = ed.input('\x04');
    assert.deepEqual(sent(flush), ['abc']);
    assert.equal(ed.stdinClosed, false);
    const eof = ed.input('\x04');
    assert.deepEqual(eof, [{ kind: 'eof' }]);
    assert.equal(ed.stdinClosed, true);
    assert.deepEqual(ed.input('more\r'), [{ kind: 'write', text: '\x07\x07\x07\x07\x07' }]);
  });

  it('Ctrl-C asks for an interrupt and drops the line, even after stdin closed', () => {
    const ed = new LineEditor();
    ed.input('abc');
    const actions = ed.input('\x03');
    assert.deepEqual(actions[0], { kind: 'interrupt' });
    assert.equal(echoed(actions), '^C\r\n');
    assert.equal(ed.line, '');
    ed.input('\x04');
    assert.equal(ed.input('\x03')[0]?.kind, 'interrupt');
  });

  it('hides and shows the line around container output', () => {
    const ed = new LineEditor();
    assert.equal(ed.hide(), '');
    ed.input('abcd');
    ed.input('\x1b[D\x1b[D');
    assert.equal(ed.hide(), '\x1b[2D\x1b[K');
    assert.equal(ed.show(), 'abcd\x1b[2D');
  });

  it('waits for the rest of an escape sequence cut between chunks, and ignores unknown ones', () => {
    const ed = new LineEditor();
    ed.input('ab');
    assert.deepEqual(ed.input('\x1b['), []);
    assert.equal(echoed(ed.input('D')), '\x1b[D');
    assert.deepEqual(ed.input('\x1b[A'), []); // up: no history
    assert.deepEqual(ed.input('\x1b'), []); // Escape alone
    ed.input('X');
    assert.equal(ed.line, 'aXb');
  });
});
