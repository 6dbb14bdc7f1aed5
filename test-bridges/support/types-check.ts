// Compiled (not run) by types.test.mjs against the installed package.
import { connect } from "nats";
import { EventBus } from "codomyrmex-events";
import { bridgeBroadcastChannel, type BridgeStats, type BroadcastChannelBridge } from "codomyrmex-events/bridges";
import { bridgeNats, subjectsFor, type NatsBridge } from "codomyrmex-events/nats";

const bus = new EventBus();
const bc: BroadcastChannelBridge = bridgeBroadcastChannel(bus, "app", { patterns: ["user.*"], logger: null });
const stats: BridgeStats = bc.stats;
const malformed: number = stats.malformed;
bc.close();

export async function useNats(): Promise<number> {
  const nc = await connect({ servers: "nats://127.0.0.1:4222" });
  const bridge: NatsBridge = bridgeNats(bus, nc, { prefix: "app", patterns: "order.*", historySize: 100 });
  await bridge.ready;
  const subjects: string[] = subjectsFor("app", ["a.*"]);
  await bridge.close();
  await nc.close();
  // @ts-expect-error: patterns must be strings
  bridgeBroadcastChannel(bus, "app", { patterns: [1] });
  return malformed + bridge.stats.skipped + subjects.length;
}
