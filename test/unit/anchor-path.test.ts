import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerName, formatPath, parentPath, parsePath } from '../../server/anchor/path';
import { CircuitError } from '../../server/errors';

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof CircuitError);
    return err.reason;
  }
  return 'no error';
}

describe('anchor paths', () => {
  it('parses the root, hosts and anchors', () => {
    assert.deepEqual(parsePath('/'), { host: undefined, names: [] });
    assert.deepEqual(parsePath('/local'), { host: 'local', names: [] });
    assert.deepEqual(parsePath('/local/app/db'), { host: 'local', names: ['app', 'db'] });
    assert.deepEqual(parsePath('/local/app/'), { host: 'local', names: ['app'] });
    assert.deepEqual(parsePath('/h/a_b.c-d/9'), { host: 'h', names: ['a_b.c-d', '9'] });
  });

  const invalid: [string, string][] = [
    ['', 'no leading slash'],
    ['local/app', 'no leading slash'],
    ['//app', 'empty name'],
    ['/local//app', 'empty name'],
    ['/local/../etc', 'dot-dot'],
    ['/local/./x', 'dot'],
    ['/local/-x', 'starts with dash'],
    ['/local/_x', 'starts with underscore'],
    ['/local/a b', 'space'],
    ['/local/a;rm -rf', 'shell metacharacters'],
    ['/local/a\u0000b', 'NUL'],
    ['/local/' + 'x'.repeat(64), '64 characters'],
    ['/local/' + Array(17).fill('a').join('/'), '17 deep'],
    ['/' + 'a/'.repeat(5_000_000), '10 MB'],
  ];
  for (const [path, why] of invalid) {
    it(`refuses ${why}`, () => assert.equal(reasonOf(() => parsePath(path)), 'invalid-path'));
  }

  it('accepts 16 names of 63 characters', () => {
    const names = Array.from({ length: 16 }, (_, i) => String(i).padEnd(63, 'x'));
    assert.deepEqual(parsePath('/local/' + names.join('/')).names, names);
  });

  it('refuses a path that is not a string as invalid-params', () => {
    assert.equal(reasonOf(() => parsePath(42)), 'invalid-params');
    assert.equal(reasonOf(() => parsePath(undefined)), 'invalid-params');
  });

  it('formats and finds parents', () => {
    assert.equal(formatPath(undefined), '/');
    assert.equal(formatPath('local', ['a', 'b']), '/local/a/b');
    assert.equal(parentPath('/local/a/b'), '/local/a');
    assert.equal(parentPath('/local'), '/');
  });
});

describe('container names', () => {
  it('are valid Docker names', () => {
    for (const names of [['a'], ['a_b', 'c'], ['x'.repeat(63), 'y'], Array(16).fill('z'.repeat(63))]) {
      assert.match(containerName(names), /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
    }
  });

  it('never collide for different paths', () => {
    const cases = [['a_', 'b'], ['a', '_b'], ['a__b'], ['a', 'b'], ['a_-b'], ['a-', 'b'], ['a', '-b'], ['a.b'], ['a', 'b', 'c'], ['a_b', 'c'], ['a', 'b_c']];
    const seen = new Map<string, string>();
    for (const names of cases) {
      const name = containerName(names);
      assert.equal(seen.get(name), undefined, `${names.join('/')} and ${seen.get(name)} share ${name}`);
      seen.set(name, names.join('/'));
    }
  });

  it('uses a hash form for long paths', () => {
    const long = Array(16).fill('n'.repeat(63));
    assert.match(containerName(long), /^circuit-sha256_[0-9a-f]{64}$/);
    assert.notEqual(containerName(long), containerName([...long.slice(0, 15), 'm'.repeat(63)]));
  });
});
