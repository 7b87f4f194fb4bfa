import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ElementInfo } from '../../protocol';
import { Namespace } from '../../server/anchor/namespace';
import { fromLabels, toLabels } from '../../server/anchor/labels';

const element = (id: string, state: ElementInfo['state'] = 'running'): ElementInfo => ({ kind: 'docker', id, name: 'n' + id, image: 'i', state, exitCode: null, scrub: false });
const paths = (changed: string[][]) => changed.map((n) => '/' + n.join('/')).sort();

describe('namespace', () => {
  it('creates anchors on attach and reports the changed ones', () => {
    const ns = new Namespace();
    assert.deepEqual(paths(ns.attach(['a', 'b', 'c'], element('1'))), ['/', '/a', '/a/b', '/a/b/c']);
    assert.deepEqual(paths(ns.attach(['a', 'x'], element('2'))), ['/a', '/a/x']);
    assert.equal(ns.size, 2);
    assert.deepEqual([...ns.children(['a']).keys()].sort(), ['b', 'x']);
  });

  it('reports only the anchor when its element changes state, nothing when it does not', () => {
    const ns = new Namespace();
    ns.attach(['a'], element('1'));
    assert.deepEqual(paths(ns.attach(['a'], element('1', 'exited'))), ['/a']);
    assert.deepEqual(ns.attach(['a'], element('1', 'exited')), []);
    assert.equal(ns.size, 1);
  });

  it('removes anchors left empty on detach, and keeps those with children', () => {
    const ns = new Namespace();
    ns.attach(['a', 'b', 'c'], element('1'));
    ns.attach(['a'], element('2'));
    assert.deepEqual(paths(ns.detach(['a', 'b', 'c'])), ['/a', '/a/b', '/a/b/c']);
    assert.deepEqual([...ns.children(['a']).keys()], []);
    assert.equal(ns.get(['a'])?.id, '2');
    assert.deepEqual(paths(ns.detach(['a'])), ['/', '/a']);
    assert.equal(ns.size, 0);
    assert.deepEqual([...ns.children([]).keys()], []);
    assert.deepEqual(ns.detach(['nothing']), []);
  });

  it('an anchor with an element and children survives the detach of its element', () => {
    const ns = new Namespace();
    ns.attach(['a'], element('1'));
    ns.attach(['a', 'b'], element('2'));
    assert.deepEqual(paths(ns.detach(['a'])), ['/a']);
    assert.deepEqual([...ns.children([]).keys()], ['a']);
    assert.deepEqual([...ns.elements()].map(([n]) => n.join('/')), ['a/b']);
  });
});

describe('labels', () => {
  it('round-trip an anchor and the Scrub flag', () => {
    for (const e of [{ names: ['a'], scrub: false }, { names: ['app', 'db_1', 'x.y'], scrub: true }]) {
      assert.deepEqual(fromLabels(toLabels(e)), e);
    }
  });

  it('ignore containers without or with forged labels', () => {
    assert.equal(fromLabels(undefined), undefined);
    assert.equal(fromLabels({}), undefined);
    assert.equal(fromLabels({ 'io.circuit.anchor': 'a/b' }), undefined);
    assert.equal(fromLabels({ 'io.circuit.anchor': '/a/../b' }), undefined);
    assert.equal(fromLabels({ 'io.circuit.anchor': '/' }), undefined);
  });
});
