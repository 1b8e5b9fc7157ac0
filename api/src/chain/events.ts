/** Events as the API shows them: name, where (block, transaction, log index) and arguments as plain JSON. */
import type { BaseContract, EventLog, Log, Result } from "ethers";
import { REGISTRY_ABIS } from "./abis";
import { apiArgs, type AbiParam } from "./apiForm";

export interface ChainEvent {
  event: string;
  contract: string;
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
  args: Record<string, unknown>;
}

/** Result → JSON: named fields as objects, lists as arrays, bigints as decimal strings. */
export function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value && typeof value === "object" && typeof (value as Result).toObject === "function") {
    const result = value as Result;
    let named: Record<string, unknown> | undefined;
    try {
      named = result.toObject();
    } catch {
      named = undefined;
    }
    const keys = named ? Object.keys(named) : [];
    // ethers names the items of an unnamed tuple or list "_", "_1"…: those are lists, not records.
    if (named && keys.length > 0 && !keys.every((k) => /^_?\d*$/.test(k))) {
      return Object.fromEntries(keys.map((k) => [k, plain(named![k])]));
    }
    return Array.from(result, plain);
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

export function toChainEvent(contract: string, log: EventLog | Log): ChainEvent | undefined {
  if (!("fragment" in log) || !log.fragment) return undefined;
  const args = Object.fromEntries(log.fragment.inputs.map((input, i) => [input.name, plain(log.args[i])]));
  return {
    event: log.fragment.name,
    contract,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    logIndex: log.index,
    args,
  };
}

/** Query several filters of one contract and return their events in chain order. */
export async function historyOf(
  contract: BaseContract,
  name: string,
  filters: Parameters<BaseContract["queryFilter"]>[0][],
): Promise<ChainEvent[]> {
  const logs = (await Promise.all(filters.map((f) => contract.queryFilter(f)))).flat();
  return sortEvents(logs.map((l) => toChainEvent(name, l)).filter((e): e is ChainEvent => e !== undefined));
}

export const sortEvents = (events: ChainEvent[]) =>
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);

/** Each event's declared arguments by "Contract.Event" (with internalType, to name enum values). */
const EVENT_PARAMS = new Map<string, AbiParam[]>(
  Object.entries(REGISTRY_ABIS).flatMap(([contract, abi]) =>
    (abi as readonly { type: string; name?: string; inputs?: unknown }[])
      .filter((f) => f.type === "event")
      .map((f) => [`${contract}.${f.name}`, f.inputs as AbiParam[]] as [string, AbiParam[]]),
  ),
);

/** An event with its arguments in API form: dates YYYY-MM-DD, instants ISO 8601, enum values by name. */
export const inApiForm = (event: ChainEvent): ChainEvent => ({
  ...event,
  args: apiArgs(EVENT_PARAMS.get(`${event.contract}.${event.event}`) ?? [], event.args),
});
