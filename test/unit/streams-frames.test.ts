import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DISORDER_SECONDS, LogCursor, LogPlace, timeKey } from '../../server/streams/cursor';
import { FrameFormatError, FrameReader, type FramePiece } from '../../server/streams/frames';

function frame(kind: number, payload: Buffer | string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** Frames as (stream, time, payload), read from `bytes` cut into pieces at `cuts`. */
function read(bytes: Buffer, timestamps: boolean, cuts: number[]): { stream: string; time: string | undefined; data: string }[] {
  const reader = new FrameReader(timestamps);
  const pieces: FramePiece[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(...reader.push(bytes.subarray(at, cut)));
    at = cut;
  }
  assert.ok(reader.atBoundary);
  const frames: { stream: string; time: string | undefined; data: string }[] = [];
  for (const p of pieces) {
    if (p.first) frames.push({ stream: p.stream, time: p.time, data: '' });
    const last = frames[frames.length - 1]!;
    assert.equal(last.stream, p.stream);
    last.data += p.data.toString('latin1');
  }
  return frames;
}

describe('FrameReader', () => {
  const t1 = '2024-05-01T10:00:00.123456789Z';
  const t2 = '2024-05-01T10:00:01.000000001Z';
  const stream = Buffer.concat([frame(1, `${t1} hello\n`), frame(2, `${t2} err\n`), frame(1, `${t2} `), frame(1, `${t2} \u00ff\u0000bin`)]);
  const want = [
    { stream: 'stdout', time: t1, data: 'hello\n' },
    { stream: 'stderr', time: t2, data: 'err\n' },
    { stream: 'stdout', time: t2, data: '' },
    { stream: 'stdout', time: t2, data: Buffer.from('\u00ff\u0000bin').toString('latin1') },
  ];

  it('reads frames with their time, whole', () => assert.deepEqual(read(stream, true, []), want));

  it('reads the same however the bytes are cut (every single cut, and every byte apart)', () => {
    for (let cut = 1; cut < stream.length; cut++) assert.deepEqual(read(stream, true, [cut]), want, `cut at ${cut}`);
    assert.deepEqual(read(stream, true, Array.from({ length: stream.length - 1 }, (_, i) => i + 1)), want);
  });

  it('reads frames without times, including empty ones', () => {
    const plain = Buffer.concat([frame(1, 'a'), frame(2, ''), frame(0, 'b'), frame(3, 'oops')]);
    assert.deepEqual(read(plain, false, [3, 9, 10]), [
      { stream: 'stdout', time: undefined, data: 'a' },
      { stream: 'stderr', time: undefined, data: '' },
      { stream: 'stdin', time: undefined, data: 'b' },
      { stream: 'system', time: undefined, data: 'oops' },
    ]);
  });

  it('hands a large frame on in pieces as they come, holding none of it', () => {
    const big = frame(1, Buffer.alloc(1_000_000, 0x61));
    const reader = new FrameReader(false);
    const first = reader.push(big.subarray(0, 100_008));
    assert.equal(first.length, 1);
    assert.equal(first[0]!.data.length, 100_000);
    assert.equal(first[0]!.data.buffer, big.buffer, 'a view into the chunk, not a copy');
    const rest = reader.push(big.subarray(100_008));
    assert.equal(rest[0]!.data.length, 900_000);
    assert.equal(rest[0]!.first, false);
  });

  it('refuses a stream that is not multiplexed', () => {
    assert.throws(() => new FrameReader(false).push(Buffer.from('HTTP/1.1 200 OK\r\n')), FrameFormatError);
    assert.throws(() => new FrameReader(true).push(frame(1, 'no-time-here-and-no-space'.repeat(4))), FrameFormatError);
  });
});

describe('LogCursor', () => {
  const a = timeKey('2024-05-01T10:00:00.1Z')!;
  const b = timeKey('2024-05-01T10:00:00.100000001Z')!;
  const c = timeKey('2024-05-01T10:00:02Z')!;

  it('orders engine times as time does, whatever their digits', () => {
    assert.ok(a < b && b < c);
    assert.equal(timeKey('2024-05-01T10:00:00Z'), '2024-05-01T10:00:00.000000000');
    assert.equal(timeKey('yesterday'), undefined);
  });

  it('takes each entry once across a second read from its since, entries sharing a time included', () => {
    const cursor = new LogCursor();
    assert.equal(cursor.since(), undefined);
    assert.deepEqual([a, b, b].map((k) => cursor.take(k)), [true, true, true]);
    assert.equal(cursor.since(), `${Date.parse('2024-05-01T10:00:00Z') / 1000}.100000001`);
    cursor.beginRead();
    // The engine gives again every entry at or after since: the two at b were taken, the third is new.
    assert.deepEqual([b, b, b, c].map((k) => cursor.take(k)), [false, false, true, true]);
    cursor.beginRead();
    assert.deepEqual([a, c, c].map((k) => cursor.take(k)), [false, false, true]);
  });

  it('starts a live-only session past the entry it was seeded with', () => {
    const cursor = new LogCursor();
    cursor.seed(b);
    cursor.beginRead();
    assert.deepEqual([a, b, c].map((k) => cursor.take(k)), [false, false, true]);
  });
});

describe('LogPlace', () => {
  const t1 = timeKey('2024-05-01T10:00:00.1Z')!;
  const t2 = timeKey('2024-05-01T10:00:00.2Z')!;
  const t3 = timeKey('2024-05-01T10:00:00.3Z')!;
  const t4 = timeKey('2024-05-01T10:00:00.4Z')!;

  it('takes an entry of one stream written after a later-stamped entry of the other (the engine copies them apart)', () => {
    const place = new LogPlace();
    // In the log file: out (t1), out2 (t3), then err stamped t2 but written after out2.
    assert.deepEqual([['stdout', t1], ['stdout', t3], ['stderr', t2]].map(([s, k]) => place.take(s!, k!)), [true, true, true]);
  });

  it('re-reads from well before the latest entry, and skips per stream what was taken', () => {
    const place = new LogPlace();
    place.take('stdout', t1);
    place.take('stdout', t3);
    place.take('stderr', t2);
    assert.equal(place.since(), `${Date.parse('2024-05-01T10:00:00Z') / 1000 - DISORDER_SECONDS}.300000000`);
    place.beginRead();
    const again = [['stdout', t1], ['stdout', t3], ['stderr', t2], ['stderr', t4], ['stdout', t4]];
    assert.deepEqual(again.map(([s, k]) => place.take(s!, k!)), [false, false, false, true, true]);
  });

  it('seeds both streams for a live-only session', () => {
    const place = new LogPlace();
    place.seed(t2);
    place.beginRead();
    assert.deepEqual([['stdout', t1], ['stderr', t2], ['stderr', t3]].map(([s, k]) => place.take(s!, k!)), [false, false, true]);
  });
});
