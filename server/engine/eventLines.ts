import { StringDecoder } from 'node:string_decoder';

/** One message of the engine's event stream (GET /events), as far as Circuit reads it. */
export interface EngineEvent {
  Type?: string;
  Action: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
}

/**
 * Splits the engine's event stream, newline-delimited JSON in chunks of any size, into events.
 * A malformed line is skipped: one bad message must not end the stream.
 */
export class EventLines {
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onEvent: (event: EngineEvent) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let event: EngineEvent;
      try {
        event = JSON.parse(line) as EngineEvent;
      } catch {
        continue;
      }
      if (typeof event === 'object' && event !== null && typeof event.Action === 'string') this.onEvent(event);
    }
  }
}
