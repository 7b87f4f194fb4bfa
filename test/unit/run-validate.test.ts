import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostFacts, ImageFacts } from '../../server/run/facts';
import { editDistance, nearestField } from '../../server/run/fields';
import { ProblemCode, ProblemSeverity, RunProblem, checkRun, problemCodes, validateRunText } from '../../server/run/validate';

/** A spec with the expected range marked ⟦like this⟧; returns the clean text and the range. */
function marked(source: string): { text: string; offset: number; length: number } {
  const start = source.indexOf('⟦');
  const end = source.indexOf('⟧');
  assert.ok(start >= 0 && end > start, `no ⟦range⟧ in ${source}`);
  return { text: source.slice(0, start) + source.slice(start + 1, end) + source.slice(end + 1), offset: start, length: end - start - 1 };
}

function image(partial: Partial<ImageFacts>): ImageFacts {
  return { id: 'sha256:' + 'a'.repeat(64), tags: [], size: 1, created: undefined, cmd: ['sh'], entrypoint: null, env: [], workingDir: '', exposedPorts: [], ...partial };
}

/** A host with one image, circuit-busybox:latest, and one image without any command. */
const host: HostFacts = {
  host: 'local',
  memTotal: 2 * 1024 ** 3,
  image(ref: string) {
    if (ref === 'circuit-busybox' || ref === 'circuit-busybox:latest') return image({ tags: ['circuit-busybox:latest'] });
    if (ref === 'bare:1') return image({ tags: ['bare:1'], cmd: null, entrypoint: null });
    if (ref === 'unknown-to-us') return undefined;
    return null;
  },
};

interface Case {
  name: string;
  /** The spec, with the problem's exact range marked ⟦…⟧. */
  spec: string;
  code: ProblemCode;
  severity: ProblemSeverity;
  /** The gist of the message. */
  gist: RegExp;
  /** Every code the spec gives, in order (default: just `code`). */
  codes?: ProblemCode[];
  facts?: HostFacts;
}

const cases: Case[] = [
  { name: 'syntax: missing value', spec: '{"Image": "busybox", "Dir": ⟦}⟧', code: 'syntax', severity: 'error', gist: /value is expected/ },
  { name: 'syntax: missing comma', spec: '{"Image": "busybox" ⟦"Dir"⟧: "/"}', code: 'syntax', severity: 'error', gist: /"," is expected/ },
  { name: 'syntax: unclosed string', spec: '{"Image": ⟦"busybox}⟧', code: 'syntax', severity: 'error', gist: /not closed/, codes: ['syntax', 'syntax'] },
  { name: 'not-object: array', spec: '⟦[⟧{"Image": "busybox"}]', code: 'not-object', severity: 'error', gist: /is an object.*an array/ },
  { name: 'not-object: string', spec: '  ⟦"busybox"⟧ ', code: 'not-object', severity: 'error', gist: /a string/ },
  { name: 'unknown-field', spec: '{"Image": "busybox", ⟦"Imgae"⟧: "x"}', code: 'unknown-field', severity: 'error', gist: /"Imgae" is not a Run field; did you mean "Image"/ },
  { name: 'unknown-field: nearest', spec: '{"Image": "busybox", ⟦"Enviroment"⟧: []}', code: 'unknown-field', severity: 'error', gist: /did you mean "Env"/ },
  { name: 'field-case', spec: '{⟦"image"⟧: "busybox"}', code: 'field-case', severity: 'warning', gist: /Go decoder ignores case.*"Image"/ },
  { name: 'duplicate-field', spec: '{"Image": "busybox", ⟦"Image"⟧: "busybox:1"}', code: 'duplicate-field', severity: 'error', gist: /Image is already set/ },
  { name: 'duplicate-field across case', spec: '{"Image": "busybox", ⟦"IMAGE"⟧: "busybox"}', code: 'duplicate-field', severity: 'error', gist: /Image \(as "Image"\) is already set|Image is already set/, codes: ['field-case', 'duplicate-field'] },
  { name: 'type: Memory as boolean', spec: '{"Image": "busybox", "Memory": ⟦true⟧}', code: 'type', severity: 'error', gist: /Memory must be a whole number; got true/ },
  { name: 'type: Memory fraction', spec: '{"Image": "busybox", "Memory": ⟦6291456.5⟧}', code: 'type', severity: 'error', gist: /whole number of bytes; got 6291456.5/ },
  { name: 'type: Memory bad string', spec: '{"Image": "busybox", "Memory": ⟦"lots"⟧}', code: 'type', severity: 'error', gist: /whole number of bytes.*"lots"/ },
  { name: 'type: Volume string', spec: '{"Image": "busybox", "Volume": ⟦"/data"⟧}', code: 'type', severity: 'error', gist: /Volume must be an array of strings/ },
  { name: 'type: Env entry number', spec: '{"Image": "busybox", "Env": ["A=1", ⟦2⟧]}', code: 'type', severity: 'error', gist: /Env entries must be strings; got a number/ },
  { name: 'type: Scrub string', spec: '{"Image": "busybox", "Scrub": ⟦"yes"⟧}', code: 'type', severity: 'error', gist: /Scrub must be true or false/ },
  { name: 'type: Image number', spec: '{"Image": ⟦7⟧}', code: 'type', severity: 'error', gist: /Image must be a string/ },
  { name: 'type: Dir object', spec: '{"Image": "busybox", "Dir": ⟦{"a": 1}⟧}', code: 'type', severity: 'error', gist: /Dir must be a string; got an object/ },
  { name: 'type: CpuShares negative', spec: '{"Image": "busybox", "CpuShares": ⟦-5⟧}', code: 'type', severity: 'error', gist: /CpuShares must be a whole number, 0 or more/ },
  { name: 'image-required: absent', spec: '⟦{⟧"Memory": 0}', code: 'image-required', severity: 'error', gist: /Image is required/ },
  { name: 'image-required: empty', spec: '{"Image": ⟦""⟧}', code: 'image-required', severity: 'error', gist: /must not be empty/ },
  { name: 'image-required: null', spec: '{"Image": ⟦null⟧}', code: 'image-required', severity: 'error', gist: /Image is required/ },
  { name: 'image-reference: uppercase', spec: '{"Image": ⟦"BusyBox"⟧}', code: 'image-reference', severity: 'error', gist: /must be lowercase/ },
  { name: 'image-reference: bad tag', spec: '{"Image": ⟦"busybox:-x"⟧}', code: 'image-reference', severity: 'error', gist: /the tag "-x"/ },
  { name: 'image-reference: bad digest', spec: '{"Image": ⟦"busybox@sha256:abc"⟧}', code: 'image-reference', severity: 'error', gist: /digest/ },
  { name: 'image-reference: bad port', spec: '{"Image": ⟦"registry.example:99999/app"⟧}', code: 'image-reference', severity: 'error', gist: /above 65535/ },
  { name: 'image-reference: double slash', spec: '{"Image": ⟦"team//app"⟧}', code: 'image-reference', severity: 'error', gist: /empty component/ },
  { name: 'image-absent', spec: '{"Image": ⟦"nginx:1.25"⟧}', code: 'image-absent', severity: 'information', gist: /not on host local: make will need to pull it/, facts: host },
  { name: 'memory-units: 512m', spec: '{"Image": "busybox", "Memory": ⟦"512m"⟧}', code: 'memory-units', severity: 'error', gist: /without units: "512m" is 536870912/ },
  { name: 'memory-units: 1.5GiB', spec: '{"Image": "busybox", "Memory": ⟦"1.5GiB"⟧}', code: 'memory-units', severity: 'error', gist: /1610612736/ },
  { name: 'memory-minimum', spec: '{"Image": "busybox", "Memory": ⟦1000⟧}', code: 'memory-minimum', severity: 'error', gist: /^Memory must be at least 6 MiB \(6291456 bytes\); got 1000$/ },
  { name: 'memory-minimum: negative', spec: '{"Image": "busybox", "Memory": ⟦-1⟧}', code: 'memory-minimum', severity: 'error', gist: /cannot be negative/ },
  { name: 'memory-host', spec: '{"Image": "circuit-busybox", "Memory": ⟦4294967296⟧}', code: 'memory-host', severity: 'warning', gist: /4 GiB is more than host local has \(2 GiB\)/, facts: host },
  { name: 'cpushares-range: 1', spec: '{"Image": "busybox", "CpuShares": ⟦1⟧}', code: 'cpushares-range', severity: 'warning', gist: /below the kernel's minimum of 2/ },
  { name: 'cpushares-range: high', spec: '{"Image": "busybox", "CpuShares": ⟦300000⟧}', code: 'cpushares-range', severity: 'warning', gist: /above the kernel's maximum of 262144/ },
  { name: 'lxc-translated', spec: '{"Image": "busybox", "Lxc": [⟦"lxc.cgroup.cpuset.cpus = 0-1"⟧]}', code: 'lxc-translated', severity: 'information', gist: /HostConfig.CpusetCpus = "0-1" \(docker run --cpuset-cpus 0-1\)/ },
  { name: 'lxc-translated: memory', spec: '{"Image": "busybox", "Lxc": [⟦"lxc.cgroup.memory.limit_in_bytes=64M"⟧]}', code: 'lxc-translated', severity: 'information', gist: /HostConfig.Memory = 67108864/ },
  { name: 'lxc-unsupported: key', spec: '{"Image": "busybox", "Lxc": [⟦"lxc.network.type = veth"⟧]}', code: 'lxc-unsupported', severity: 'error', gist: /no Docker equivalent/ },
  { name: 'lxc-unsupported: form', spec: '{"Image": "busybox", "Lxc": [⟦"cpu shares 512"⟧]}', code: 'lxc-unsupported', severity: 'error', gist: /not of the form key = value/ },
  { name: 'lxc-unsupported: value', spec: '{"Image": "busybox", "Lxc": [⟦"lxc.cgroup.cpu.shares = lots"⟧]}', code: 'lxc-unsupported', severity: 'error', gist: /not a whole number/ },
  { name: 'volume-syntax: relative container path', spec: '{"Image": "busybox", "Volume": [⟦"/src:data"⟧]}', code: 'volume-syntax', severity: 'error', gist: /container path "data" is not absolute/ },
  { name: 'volume-syntax: unknown option', spec: '{"Image": "busybox", "Volume": [⟦"/src:/data:rx"⟧]}', code: 'volume-syntax', severity: 'error', gist: /unknown option "rx"/ },
  { name: 'volume-syntax: too many parts', spec: '{"Image": "busybox", "Volume": [⟦"a:/b:ro:x"⟧]}', code: 'volume-syntax', severity: 'error', gist: /too many ":"/ },
  { name: 'volume-syntax: anonymous with options', spec: '{"Image": "busybox", "Volume": [⟦"/data:ro"⟧]}', code: 'volume-syntax', severity: 'error', gist: /anonymous volume takes no options/ },
  { name: 'volume-syntax: ro and rw', spec: '{"Image": "busybox", "Volume": [⟦"/a:/b:ro,rw"⟧]}', code: 'volume-syntax', severity: 'error', gist: /both ro and rw/ },
  { name: 'volume-syntax: relative anonymous', spec: '{"Image": "busybox", "Volume": [⟦"data"⟧]}', code: 'volume-syntax', severity: 'error', gist: /not absolute/ },
  { name: 'volume-relative', spec: '{"Image": "busybox", "Volume": [⟦"./data:/data"⟧]}', code: 'volume-relative', severity: 'error', gist: /host path "\.\/data" is relative/ },
  { name: 'volume-duplicate', spec: '{"Image": "busybox", "Volume": ["/data", ⟦"cache:/data/"⟧]}', code: 'volume-duplicate', severity: 'error', gist: /\/data is already mounted/ },
  { name: 'volume-sensitive: /etc', spec: '{"Image": "busybox", "Volume": [⟦"/etc:/host-etc"⟧]}', code: 'volume-sensitive', severity: 'warning', gist: /host's \/etc writable.*root/ },
  { name: 'volume-sensitive: socket', spec: '{"Image": "busybox", "Volume": [⟦"/var/run/docker.sock:/var/run/docker.sock:ro"⟧]}', code: 'volume-sensitive', severity: 'warning', gist: /Docker socket.*root on the host/ },
  { name: 'dir-relative', spec: '{"Image": "busybox", "Dir": ⟦"app"⟧}', code: 'dir-relative', severity: 'error', gist: /Dir must be an absolute path.*"app"/ },
  { name: 'env-syntax: empty', spec: '{"Image": "busybox", "Env": [⟦""⟧]}', code: 'env-syntax', severity: 'error', gist: /empty/ },
  { name: 'env-syntax: empty key', spec: '{"Image": "busybox", "Env": [⟦"=x"⟧]}', code: 'env-syntax', severity: 'error', gist: /empty key/ },
  { name: 'env-syntax: whitespace', spec: '{"Image": "busybox", "Env": [⟦"MY KEY=1"⟧]}', code: 'env-syntax', severity: 'error', gist: /contains whitespace/ },
  { name: 'env-duplicate', spec: '{"Image": "busybox", "Env": [⟦"A=1"⟧, "B=2", "A=3"]}', code: 'env-duplicate', severity: 'warning', gist: /sets A again below.*last one wins/ },
  { name: 'string-limit: NUL byte', spec: '{"Image": "busybox", "Args": ["ok", ⟦"a\\u0000b"⟧]}', code: 'string-limit', severity: 'error', gist: /^Args\[1\] holds a NUL byte/ },
  { name: 'string-limit: too long', spec: `{"Image": "busybox", "Dir": ⟦"/${'x'.repeat(131071)}"⟧}`, code: 'string-limit', severity: 'error', gist: /^Dir is 131072 bytes long; the kernel takes at most 131071/ },
  { name: 'no-command', spec: '{"Image": ⟦"bare:1"⟧}', code: 'no-command', severity: 'error', gist: /neither Cmd nor Entrypoint/, facts: host },
];

describe('validateRunText: one case per code', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { text, offset, length } = marked(c.spec);
      const problems = validateRunText(text, c.facts);
      assert.deepEqual(
        problems.map((p) => p.code),
        c.codes ?? [c.code],
        JSON.stringify(problems, null, 1),
      );
      const p = problems.find((x) => x.code === c.code && x.offset === offset);
      assert.ok(p, `no ${c.code} at ${offset}: ${JSON.stringify(problems)}`);
      assert.equal(p.length, length, 'length');
      assert.equal(p.severity, c.severity);
      assert.match(p.message, c.gist);
    });
  }

  it('covers every code', () => {
    const covered = new Set(cases.map((c) => c.code));
    assert.deepEqual(problemCodes.filter((c) => !covered.has(c)), []);
  });
});

describe('validateRunText: what it accepts', () => {
  it("accepts Circuit's documented example, trailing comma and comments included", () => {
    const text = `// from Circuit's documentation
{
  "Image": "ubuntu",
  "Memory": 1000000000,
  "CpuShares": 3,
  /* a volume and a bind */
  "Volume": ["/webapp", "/src/webapp:/opt/webapp:ro"],
  "Dir": "/",
  "Path": "/bin/ls",
  "Args": ["/"],
  "Scrub": true,
}`;
    assert.deepEqual(validateRunText(text), []);
  });

  it('accepts null as absent, empty strings and arrays, and every known volume option', () => {
    const text = JSON.stringify({
      Image: 'registry.example:5000/team/app_x-y:1.2.3@sha256:' + 'f'.repeat(64),
      Memory: null,
      CpuShares: 0,
      Dir: '',
      Entry: '',
      Env: ['A=', 'B=c=d', 'C'],
      Volume: ['/a', 'name:/b:nocopy', '/src:/c:ro,z,rslave', '/src:/d:rw,Z,private'],
      Lxc: [],
      Path: '',
      Args: [],
      Scrub: false,
    });
    assert.deepEqual(validateRunText(text), []);
  });

  it('accepts references of every shape', () => {
    for (const ref of ['busybox', 'busybox:latest', 'library/busybox', 'docker.io/library/busybox:1', 'localhost/app', 'localhost:5000/a/b/c:v_1.0', '[::1]:5000/app', 'a__b/c.d/e---f', 'x@sha256:' + '0'.repeat(64)]) {
      assert.deepEqual(validateRunText(JSON.stringify({ Image: ref })), [], ref);
    }
  });

  it('skips host checks without facts, or when the image is unknown (not absent)', () => {
    assert.deepEqual(validateRunText('{"Image": "bare:1"}'), []);
    assert.deepEqual(validateRunText('{"Image": "unknown-to-us"}', host), []);
    assert.deepEqual(validateRunText('{"Image": "nginx"}', { ...host, host: undefined }), []);
  });

  it('no-command is satisfied by Path, Args or Entry', () => {
    for (const extra of ['"Path": "/bin/sh"', '"Args": ["sh"]', '"Entry": "/bin/sh"']) {
      assert.deepEqual(validateRunText(`{"Image": "bare:1", ${extra}}`, host), [], extra);
    }
  });

  it('gives each problem once, in document order, and keeps checking after the first', () => {
    const problems = validateRunText('{"Dir": "x", "Memory": "1g", "Env": ["=1"], "Volume": ["rel/x:/y"]}');
    assert.deepEqual(
      problems.map((p) => p.code),
      ['image-required', 'dir-relative', 'memory-units', 'env-syntax', 'volume-relative'],
    );
    const offsets = problems.map((p) => p.offset);
    assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
  });

  it('carries quick-fix data', () => {
    const [units] = validateRunText('{"Image": "busybox", "Memory": "512 MiB"}');
    assert.deepEqual(units?.data?.fix, { kind: 'replace', title: 'Change to 536870912 (bytes)', text: '536870912' });
    const [unknown] = validateRunText('{"Image": "busybox", "Scrb": true}');
    assert.equal(unknown?.data?.key, 'Scrb');
    assert.deepEqual(unknown?.data?.fix, { kind: 'replace', title: 'Change to "Scrub"', text: '"Scrub"' });
    const [sensitive] = validateRunText('{"Image": "busybox", "Volume": ["/:/host:rw,z"]}');
    assert.equal(sensitive?.data?.fix?.kind, 'replace');
    assert.equal(sensitive?.data?.fix?.kind === 'replace' ? sensitive.data.fix.text : '', '"/:/host:z,ro"');
    const [socket] = validateRunText('{"Image": "busybox", "Volume": ["/run/docker.sock:/s"]}');
    assert.equal(socket?.data?.fix, undefined, 'read-only does not make the socket safe: no fix');
  });
});

describe('checkRun (circuit/make)', () => {
  const table: { run: unknown; want: { field: string | undefined; message: RegExp } | null }[] = [
    { run: { Image: 'busybox' }, want: null },
    { run: { Image: 'busybox', CpuShares: 1, Volume: ['/etc:/e'] }, want: null },
    { run: { image: 'busybox' }, want: null },
    { run: { Image: 'busybox', Memory: 1000 }, want: { field: 'Memory', message: /^Memory must be at least 6 MiB \(6291456 bytes\); got 1000$/ } },
    { run: { Image: 'busybox', Memory: '512m' }, want: { field: 'Memory', message: /without units/ } },
    { run: { Memory: 1000 }, want: { field: 'Image', message: /Image is required/ } },
    { run: { Image: 'busybox', Colour: 'red' }, want: { field: 'Colour', message: /"Colour" is not a Run field/ } },
    { run: { Image: 'busybox', Dir: 'rel' }, want: { field: 'Dir', message: /absolute/ } },
    { run: { Image: 'busybox', Env: ['A B=1'] }, want: { field: 'Env', message: /whitespace/ } },
    { run: { Image: 'busybox', Lxc: ['lxc.aa = 1'] }, want: { field: 'Lxc', message: /no Docker equivalent/ } },
    { run: 'busybox', want: { field: undefined, message: /is an object/ } },
    { run: null, want: { field: undefined, message: /is an object/ } },
    { run: undefined, want: { field: undefined, message: /must be an object/ } },
    { run: [], want: { field: undefined, message: /is an object/ } },
  ];
  for (const { run, want } of table) {
    it(JSON.stringify(run) ?? 'undefined', () => {
      const got = checkRun(run);
      if (want === null) return assert.equal(got, null);
      assert.ok(got);
      assert.equal(got.field, want.field);
      assert.match(got.message, want.message);
    });
  }

  it('refuses a Run that is not JSON', () => {
    const cyclic: Record<string, unknown> = { Image: 'busybox' };
    cyclic.self = cyclic;
    assert.match(checkRun(cyclic)?.message ?? '', /not JSON/);
    assert.match(checkRun({ Image: 'busybox', Memory: 10n })?.message ?? '', /not JSON/);
  });

  it('uses host facts when given: no-command blocks, image-absent does not', () => {
    assert.equal(checkRun({ Image: 'nginx' }, host), null);
    assert.equal(checkRun({ Image: 'bare:1' }, host)?.field, 'Image');
  });

  it('agrees with validateRunText on every table case', () => {
    for (const c of cases) {
      const { text } = marked(c.spec);
      const problems: RunProblem[] = validateRunText(text, c.facts);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      const blocked = checkRun(value, c.facts) !== null;
      // Re-serialising drops duplicate keys and case variants; compare only where it cannot.
      if (c.code === 'duplicate-field') continue;
      assert.equal(blocked, problems.some((p) => p.severity === 'error'), c.name);
    }
  });
});

describe('nearest field and edit distance', () => {
  it('suggests the field a Docker name stands for, or a key starts with, else the nearest by edits', () => {
    const table: [string, string][] = [['Imgae', 'Image'], ['Environment', 'Env'], ['Volumes', 'Volume'], ['Cmd', 'Path'], ['Arguments', 'Args'], ['WorkingDir', 'Dir'], ['working_dir', 'Dir'], ['memroy', 'Memory'], ['Entrypoint', 'Entry'], ['AutoRemove', 'Scrub'], ['x'.repeat(500), 'CpuShares']]; // nothing is near a 500-character key: the longest field
    for (const [key, field] of table) assert.equal(nearestField(key), field, key);
  });

  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    const table: [string, string, number][] = [['', '', 0], ['abc', 'abc', 0], ['imgae', 'image', 1], ['kitten', 'sitting', 3], ['a', '', 1], ['', 'ab', 2], ['scrb', 'scrub', 1], ['ca', 'abc', 3]];
    for (const [a, b, d] of table) assert.equal(editDistance(a, b), d, `${a} → ${b}`);
  });
});
