// One Node.js process of the two-process NATS test, run from the test project.
// argv: name, server url, patterns (JSON). Reads commands from stdin, one JSON
// object per line; writes every event its bus sees, and connection changes,
// to stdout as JSON lines.
import readline from 'node:readline';
import { connect } from 'nats';
import { EventBus, EventEmitter } from 'codomyrmex-events';
import { bridgeNats } from 'codomyrmex-events/nats';

const [name, servers, patterns] = process.argv.slice(2);
const out = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

const nc = await connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 100, waitOnFirstConnect: true });
(async () => {
  for await (const s of nc.status()) out({ status: s.type });
})();
const bus = new EventBus();
const emitter = new EventEmitter(name, bus);
bus.subscribe('*', (e) => out({ event: { eventType: e.eventType, source: e.source, eventId: e.eventId,
  timestamp: e.timestamp, correlationId: e.correlationId, priority: e.priority, data: e.data } }));
const bridge = bridgeNats(bus, nc, { prefix: 'test', patterns: JSON.parse(patterns) });
await bridge.ready;

let ticker = null;
const commands = {
  emit: ({ eventType, data, correlationId, priority }) => emitter.emit(eventType, data, { correlationId, priority }),
  start: ({ operation }) => out({ started: emitter.startOperation(operation, { by: name }) }),
  end: ({ correlationId, operation }) => emitter.endOperation(correlationId, operation, { success: true, result: name }),
  stream: ({ every }) => {
    let n = 0;
    ticker = setInterval(() => emitter.emit('demo.tick', { n: ++n }), every);
  },
  stats: () => out({ stats: bridge.stats }),
  quit: async () => {
    clearInterval(ticker);
    await bridge.close();
    await nc.drain();
    out({ quit: true });
    process.exit(0);
  },
};
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  Promise.resolve(commands[command.do](command)).catch((e) => out({ error: String(e) }));
});
out({ ready: bridge.subjects });
