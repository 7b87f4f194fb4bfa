import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnchorInfo, HostStatus } from '../../protocol';
import { anchorSuggestions, makePathProblem, nameFromSpecFile, parentPath } from '../../extension/anchorPath';
import { parsePath } from '../../server/anchor/path';

const hosts: HostStatus[] = [
  { name: 'local', docker: 'unix:///var/run/docker.sock', connected: true, insecure: false },
  { name: 'build', docker: 'tcp://10.0.0.2:2376', connected: false, error: 'connect ETIMEDOUT', insecure: false },
];
const anchors = new Map<string, AnchorInfo>([
  ['/local/app', { name: 'app', path: '/local/app', element: null, children: 2 }],
  [
    '/local/app/web',
    {
      name: 'web',
      path: '/local/app/web',
      element: { kind: 'docker', id: 'f'.repeat(64), name: 'circuit_app_-web', image: 'circuit-busybox:latest', state: 'running', exitCode: null, scrub: false },
      children: 0,
    },
  ],
  ['/local/app/db', { name: 'db', path: '/local/app/db', element: null, children: 1 }],
]);
const target = { hosts, anchor: (p: string) => anchors.get(p) };
const now = Date.now();

describe('the Make path input', () => {
  it('accepts a new anchor and an empty existing one', () => {
    assert.equal(makePathProblem('/local/job', target, now), undefined);
    assert.equal(makePathProblem('/local/app/db', target, now), undefined);
    assert.equal(makePathProblem('/local/a_b.c-d/9', target, now), undefined);
  });

  it('says what is wrong while the user types', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /Type an anchor path/],
      ['local/job', /starts with \//],
      ['/', /Type a host name/],
      ['/local/', /Type a name after the last \//],
      ['/local//job', /two slashes/],
      ['/local/-job', /not a valid anchor name/],
      ['/local/j b', /not a valid anchor name/],
      ['/local/..', /not a valid anchor name/],
      [`/local/${'x'.repeat(64)}`, /longer than 63/],
      ['/nowhere/job', /No host named "nowhere". Hosts: \/local, \/build/],
      ['/local', /is a host: an element goes below it/],
      [`/local${'/a'.repeat(17)}`, /At most 16 names/],
      ['/build/job', /not connected: connect ETIMEDOUT/],
      ['/local/app/web', /already holds an element \(running · circuit-busybox\)/],
    ];
    for (const [path, message] of cases) assert.match(makePathProblem(path, target, now) ?? 'accepted', message, path);
  });

  it('agrees with the server on which paths are well-formed', () => {
    const paths = ['/local/job', '/local/a/b/c', '/local/-x', '/local/x y', '/local/.', '/local/..', '/local/_x', '/local/9', `/local/${'y'.repeat(63)}`, `/local/${'y'.repeat(64)}`, `/local${'/a'.repeat(16)}`, `/local${'/a'.repeat(17)}`, 'local/x', '/local//x'];
    for (const path of paths) {
      let server = true;
      try {
        parsePath(path);
      } catch {
        server = false;
      }
      const problem = makePathProblem(path, target, now);
      const client = problem === undefined;
      assert.equal(client, server, `${path}: server ${server ? 'accepts' : 'refuses'}, client says ${problem ?? 'fine'}`);
    }
  });

  it('offers existing anchors below the typed parent', () => {
    const all = ['/local/app', '/local/app/web', '/local/app/db', '/local/app/db/primary', '/local/other'];
    assert.deepEqual(anchorSuggestions('/local/app/', all), ['/local/app/db', '/local/app/web', '/local/app/db/primary']);
    assert.deepEqual(anchorSuggestions('/local/app/w', all), ['/local/app/db', '/local/app/web', '/local/app/db/primary']);
    assert.deepEqual(anchorSuggestions('/local/o', all), ['/local/app', '/local/other', '/local/app/db', '/local/app/web', '/local/app/db/primary']);
    assert.deepEqual(anchorSuggestions('/local/app/', all, 1), ['/local/app/db']);
  });

  it('names the anchor after the spec file', () => {
    assert.equal(nameFromSpecFile('/ws/examples/web.circuit.json'), 'web');
    assert.equal(nameFromSpecFile('C:\\ws\\Hello World.circuit.json'), 'Hello-World');
    assert.equal(nameFromSpecFile('/ws/_x.circuit.json'), 'x');
    assert.equal(nameFromSpecFile('/ws/.circuit.json'), 'element');
    assert.equal(parentPath('/local/app/web'), '/local/app');
    assert.equal(parentPath('/local'), '/');
  });
});
