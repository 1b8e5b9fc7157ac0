/**
 * What the routes read from the index, shared by features: events in API form (the same `ChainEvent` the chain's
 * logs give), and block times (cached by block hash, fetched from the chain once per block).
 */
import { getAddress } from "ethers";
import { sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { Deployment } from "../../../definitions/deployment";
import { DEPLOYED_CONTRACTS } from "../chain/abis";
import { sortEvents, type ChainEvent } from "../chain/events";
import type { ReadModel } from "../store/schema";
import type { JsonRpc } from "./jsonRpc";

type Role = keyof typeof DEPLOYED_CONTRACTS;

/** Events of one of the deployment's contracts, by name, whose argument `arg` is one of `values`. */
export interface EventFilter {
  contract: Role;
  names: readonly string[];
  arg: "assetId" | "pledgeId" | "documentHash" | "supersededBy" | "licenceId" | "schemeId";
  /** The values, or a parenthesised subquery giving them (one round trip less). */
  values: readonly string[] | RawBuilder<string>;
}

/** The query of `indexedEvents` (to run alone, or nested in a larger read); undefined when nothing can match. */
export function indexedEventsQuery(
  db: Kysely<ReadModel>,
  deployment: Pick<Deployment, "contracts">,
  filters: EventFilter[],
) {
  const wanted = filters.filter((f) => (!Array.isArray(f.values) || f.values.length > 0) && f.names.length > 0);
  if (wanted.length === 0) return undefined;
  return db
    .selectFrom("events")
    .select(["block_number", "log_index", "block_hash", "tx_hash", "contract", "name", "args"])
    .where((eb) =>
      eb.or(
        wanted.map((f) =>
          eb.and([
            Array.isArray(f.values)
              ? eb(sql<string>`args->>${sql.lit(f.arg)}`, "in", [...f.values])
              : // `= any(array(subquery))`, not `in (subquery)`: the subquery runs once and the expression index
                // on the argument is used; `in` made PostgreSQL scan every event (110 ms at 10,000 pledges).
                sql<SqlBool>`args->>${sql.lit(f.arg)} = any(array${f.values})`,
            eb("contract", "=", getAddress(deployment.contracts[f.contract])),
            eb("name", "in", [...f.names]),
          ]),
        ),
      ),
    )
    .orderBy("block_number")
    .orderBy("log_index");
}

/** Rows of `indexedEventsQuery` as the chain's logs give them (`ChainEvent`), in chain order. */
export function chainEventsOf(
  deployment: Pick<Deployment, "contracts">,
  rows: {
    block_number: string | number;
    log_index: number;
    tx_hash: string;
    contract: string;
    name: string | null;
    args: unknown;
  }[],
): ChainEvent[] {
  const contractName = new Map(
    Object.entries(deployment.contracts).map(([role, address]) => [
      getAddress(address),
      DEPLOYED_CONTRACTS[role as Role] as string,
    ]),
  );
  return sortEvents(
    rows.map((row) => ({
      event: row.name as string,
      contract: contractName.get(row.contract) ?? row.contract,
      blockNumber: Number(row.block_number),
      transactionHash: row.tx_hash,
      logIndex: row.log_index,
      args: row.args as Record<string, unknown>,
    })),
  );
}

export async function indexedEvents(
  db: Kysely<ReadModel>,
  deployment: Pick<Deployment, "contracts">,
  filters: EventFilter[],
): Promise<ChainEvent[]> {
  const query = indexedEventsQuery(db, deployment, filters);
  return query ? chainEventsOf(deployment, await query.execute()) : [];
}

/** The unix time of the block with this hash: from the cache, else asked of the chain once and kept. */
export async function blockTime(db: Kysely<ReadModel>, rpc: JsonRpc, hash: string): Promise<bigint> {
  const cached = await db.selectFrom("block_times").select("timestamp").where("hash", "=", hash).executeTakeFirst();
  if (cached) return BigInt(cached.timestamp);
  const block = (await rpc("eth_getBlockByHash", [hash, false])) as { timestamp: string } | null;
  if (!block) throw new Error(`block ${hash} is not on the chain (reorganised)`);
  const timestamp = BigInt(block.timestamp);
  await db
    .insertInto("block_times")
    .values({ hash, timestamp: timestamp.toString() })
    .onConflict((oc) => oc.column("hash").doNothing())
    .execute();
  return timestamp;
}

/**
 * For a list's filter: the row of `outer` has a row in the link table `link` (joined on `key`) whose `column` is
 * `value` — e.g. a pledge naming an asset (pledge_assets), a report valuing one (report_assets).
 */
export const linkedTo = (link: keyof ReadModel, key: string, outer: keyof ReadModel, column: string, value: string) =>
  sql<SqlBool>`exists (select 1 from ${sql.table(link)} as l where l.${sql.ref(key)} = ${sql.ref(`${outer}.${key}`)} and l.${sql.ref(column)} = ${value})`;
