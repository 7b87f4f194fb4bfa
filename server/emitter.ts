/** Something to stop: a listener, a subscription, a session. */
export interface Disposable {
  dispose(): void;
}

/** A typed event with any number of listeners; a throwing listener never stops the others. */
export class Emitter<T> {
  private listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        console.error('listener failed:', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
