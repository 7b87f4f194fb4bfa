/** The signal choices of the Signal… command: KILL and TERM first, then the common ones, then the rest. Pure. */
import { signalNames, type SignalName } from '../protocol';

const described: Partial<Record<SignalName, string>> = {
  KILL: 'stop at once; cannot be caught',
  TERM: 'ask to terminate (PID 1 ignores it unless it handles it)',
  INT: 'interrupt, as Ctrl-C',
  HUP: 'hang up; many servers reload their configuration',
  QUIT: 'quit with a core dump',
  STOP: 'suspend; cannot be caught',
  CONT: 'resume after STOP',
  USR1: 'user-defined 1',
  USR2: 'user-defined 2',
  WINCH: 'window size changed',
};

const first: readonly SignalName[] = ['KILL', 'TERM', 'INT', 'HUP', 'QUIT', 'STOP', 'CONT', 'USR1', 'USR2'];

export interface SignalChoice {
  name: SignalName;
  description: string;
}

export function signalChoices(): SignalChoice[] {
  const rest = signalNames.filter((s) => !first.includes(s));
  return [...first, ...rest].map((name) => ({ name, description: described[name] ?? '' }));
}

/** Signals that end the container without a chance to clean up: confirmed before sending. */
export function needsConfirmation(signal: string): boolean {
  return signal.toUpperCase().replace(/^SIG/, '') === 'KILL';
}
