/**
 * The Circuit language server's process entry: `node dist/server.js --stdio`. Speaks LSP and the Circuit
 * protocol on stdio and writes nothing else to stdout: console output goes to the client's log.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);

const toClient = (write: (message: string) => void) => (...args: unknown[]) => write(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a))).join(' '));
console.log = toClient((m) => connection.console.log(m));
console.info = toClient((m) => connection.console.info(m));
console.warn = toClient((m) => connection.console.warn(m));
console.error = toClient((m) => connection.console.error(m));

// A bug in one request must not take the server, and every other client request, down with it.
process.on('uncaughtException', (err) => console.error('uncaught exception:', err));
process.on('unhandledRejection', (err) => console.error('unhandled rejection:', err));

startServer(connection);
connection.listen();
