// Run with `node --expose-gc`: handlers must keep working for as long as
// something can still publish to them, however many collections run in
// between, even when nothing else refers to their bus. Prints a JSON report.
import { AsyncEventEmitter, EventBus, EventEmitter, createEvent } from 'codomyrmex-events';

const settle = () => new Promise((resolve) => setImmediate(resolve));
async function collect() {
  for (let i = 0; i < 5; i++) {
    globalThis.gc();
    await settle();
  }
}

/** A bus with one recording handler that only the returned publisher reaches. */
function busBehind(makePublisher) {
  const seen = [];
  const bus = new EventBus();
  bus.subscribe(['alive.*', 'custom'], (e) => { seen.push(e.eventType); });
  return { publisher: makePublisher(bus), seen };
}

const report = {};
{
  const { publisher, seen } = busBehind((bus) => new EventEmitter('s', bus));
  await collect();
  publisher.emit('alive.emitter');
  report.emitter = seen;
}
{
  const { publisher, seen } = busBehind((bus) => new EventEmitter('s', bus).operation('op'));
  await collect();
  await publisher.run(async () => {});
  report.context = seen.length;
}
{
  const { publisher, seen } = busBehind((bus) => new AsyncEventEmitter('s', bus));
  const done = publisher.emitLater('alive.later', {}, 50).done;
  await collect();
  report.laterDone = await done;
  report.later = seen;
}
{
  // Only the delayed emit's timer refers to the emitter and its bus.
  const { seen, done } = (() => {
    const made = busBehind((bus) => new AsyncEventEmitter('s', bus));
    return { seen: made.seen, done: made.publisher.emitLater('alive.timer', {}, 50).done };
  })();
  await collect();
  report.timerDone = await done;
  report.timer = seen;
}
{
  const { publisher, seen } = busBehind((bus) => bus);
  await collect();
  publisher.publish(createEvent('alive.bus', 's'));
  report.bus = seen;
}
console.log(JSON.stringify(report));
