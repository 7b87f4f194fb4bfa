import { signalNames, type SignalName } from '../../protocol';
import { CircuitError } from '../errors';
import { quote } from '../params';

const known = new Set<string>(signalNames);

/** A signal name as Circuit takes it: case-insensitive, `SIG` prefix optional. */
export function parseSignal(value: string): SignalName {
  const upper = value.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper.slice(3) : upper;
  if (!known.has(name)) {
    throw new CircuitError('invalid-signal', `${quote(value)} is not a signal; use one of ${signalNames.join(' ')}.`, 'signal');
  }
  return name as SignalName;
}
