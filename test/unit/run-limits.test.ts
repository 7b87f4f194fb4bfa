import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_STRING_BYTES, execLimitProblem } from '../../server/run/limits';

describe('run limits: what the kernel can exec', () => {
  const image = 'busybox:latest';

  it('accepts ordinary Runs, and strings up to the kernel limit', () => {
    assert.equal(execLimitProblem({ Image: image, Path: 'echo', Args: ['a b', '$(x)'], Env: ['A=1'], Dir: '/tmp' }), null);
    assert.equal(execLimitProblem({ Image: image, Args: ['x'.repeat(MAX_STRING_BYTES - 1)] }), null);
    assert.equal(execLimitProblem({ Image: image, Memory: 1 << 30, Scrub: true, Env: null }), null);
  });

  it('refuses a NUL byte in any string field, naming the field and entry', () => {
    for (const [run, field, where] of [
      [{ Image: image, Path: 'ec\u0000ho' }, 'Path', 'Path'],
      [{ Image: image, Entry: '\u0000' }, 'Entry', 'Entry'],
      [{ Image: image, Dir: '/tmp\u0000' }, 'Dir', 'Dir'],
      [{ Image: image, Args: ['ok', 'a\u0000b'] }, 'Args', 'Args[1]'],
      [{ Image: image, Env: ['A\u0000=1'] }, 'Env', 'Env[0]'],
      [{ Image: image, Volume: ['/x\u0000'] }, 'Volume', 'Volume[0]'],
      [{ Image: image, lxc: ['lxc.cgroup.cpu.shares=1\u0000'] }, 'Lxc', 'Lxc[0]'],
    ] as const) {
      const problem = execLimitProblem(run);
      assert.equal(problem?.field, field);
      assert.ok(problem?.message.startsWith(`${where} holds a NUL byte`), problem?.message);
    }
  });

  it('refuses a string longer than one argument may be, counting UTF-8 bytes', () => {
    const problem = execLimitProblem({ Image: image, Env: ['A=' + 'é'.repeat(MAX_STRING_BYTES / 2)] });
    assert.equal(problem?.field, 'Env');
    assert.match(problem?.message ?? '', /^Env\[0\] is 131074 bytes long/);
    assert.equal(execLimitProblem({ Image: image, Args: ['x'.repeat(MAX_STRING_BYTES)] })?.field, 'Args');
  });

  it('leaves anything that is not a Run to the validator', () => {
    for (const v of [null, 'x', 7, [], { Image: 7, Args: 'x', Env: [1, null] }]) assert.equal(execLimitProblem(v), null);
  });
});
