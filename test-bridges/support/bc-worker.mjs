// A worker thread of the BroadcastChannel test, run from the test project:
// its own EventBus, bridged on the channel named by workerData; reports every
// event its bus sees to the parent and emits what the parent asks.
import { parentPort, workerData } from 'node:worker_threads';
import { EventBus, EventEmitter } from 'codomyrmex-events';
import { bridgeBroadcastChannel } from 'codomyrmex-events/bridges';

const bus = new EventBus();
const emitter = new EventEmitter(workerData.name, bus);
bus.subscribe('*', (e) => parentPort.postMessage({ event: { eventType: e.eventType, source: e.source,
  eventId: e.eventId, timestamp: e.timestamp, correlationId: e.correlationId, priority: e.priority, data: e.data } }));
const bridge = bridgeBroadcastChannel(bus, workerData.channel, { patterns: workerData.patterns });
parentPort.on('message', (command) => {
  if (command.do === 'emit') emitter.emit(command.eventType, command.data, { correlationId: command.correlationId, priority: command.priority });
  if (command.do === 'stats') parentPort.postMessage({ stats: bridge.stats });
  if (command.do === 'close') {
    bridge.close();
    parentPort.close();
  }
});
parentPort.postMessage({ ready: true });
