/**
 * Decoding logs with the compiled ABIs (typechain factories): each tracked address has a role, each role an ABI.
 * Arguments become plain JSON: structs as objects by field name, uint/int as decimal strings.
 */
import { Interface, type ParamType } from "ethers";
import { DEPLOYED_CONTRACTS, REGISTRY_ABIS } from "../chain/abis";
import type { RpcLog } from "./jsonRpc";

/** The deployment file's contract names, plus "pool" for receivable pools found later. */
export type ContractRole = keyof typeof DEPLOYED_CONTRACTS | "pool";

/** Each role's ABI: the deployed contract's, and a pool's for "pool". */
export const ROLE_ABIS = {
  ...(Object.fromEntries(
    Object.entries(DEPLOYED_CONTRACTS).map(([role, name]) => [role, REGISTRY_ABIS[name] as readonly unknown[]]),
  ) as Record<keyof typeof DEPLOYED_CONTRACTS, readonly unknown[]>),
  pool: REGISTRY_ABIS.ReceivablePool,
} satisfies Record<ContractRole, readonly unknown[]>;

// Only the events: decoding needs nothing else, and ethers warns on the linked library's functions (contract-typed
// struct fields) of PledgeLens's ABI at every start.
const interfaces = new Map<string, Interface>(
  Object.entries(ROLE_ABIS).map(([role, abi]) => [
    role,
    new Interface((abi as readonly { type: string }[]).filter((f) => f.type === "event") as never),
  ]),
);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function toJson(value: unknown, type: ParamType): JsonValue {
  if (type.isTuple()) {
    const items = value as unknown[];
    return Object.fromEntries(type.components.map((c, i) => [c.name || String(i), toJson(items[i], c)]));
  }
  if (type.isArray()) return (value as unknown[]).map((item) => toJson(item, type.arrayChildren));
  if (typeof value === "bigint") return value.toString();
  if (value !== null && typeof value === "object" && "hash" in value) return (value as { hash: string }).hash; // indexed dynamic
  return value as JsonValue;
}

export interface DecodedLog {
  name: string;
  args: Record<string, JsonValue>;
}

/** The event and its arguments, or null when the role's ABI does not know the log (it is then stored raw). */
export function decodeLog(role: ContractRole, log: Pick<RpcLog, "topics" | "data">): DecodedLog | null {
  const iface = interfaces.get(role);
  if (!iface) return null;
  let parsed;
  try {
    parsed = iface.parseLog({ topics: log.topics, data: log.data });
  } catch {
    return null;
  }
  if (!parsed) return null;
  const args: Record<string, JsonValue> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name || String(i)] = toJson(parsed.args[i], input);
  });
  return { name: parsed.name, args };
}

/**
 * Decoded arguments as read back from jsonb, in the ABI's order: jsonb keeps an object's keys in an order of its own
 * (shorter first), and an answer that lists a struct's fields (a period report's figures) must list them as declared.
 */
export function inAbiOrder(
  role: ContractRole,
  name: string,
  args: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const event = interfaces.get(role)?.getEvent(name);
  if (!event) return args;
  const order = (value: JsonValue, type: ParamType): JsonValue => {
    if (value === null || value === undefined) return value;
    if (type.isTuple()) {
      const fields = value as Record<string, JsonValue>;
      return Object.fromEntries(
        type.components.map((c, i) => [c.name || String(i), order(fields[c.name || String(i)], c)]),
      );
    }
    if (type.isArray()) return (value as JsonValue[]).map((item) => order(item, type.arrayChildren));
    return value;
  };
  return Object.fromEntries(
    event.inputs.map((input, i) => [input.name || String(i), order(args[input.name || String(i)], input)]),
  );
}
