/**
 * The collateral lookup from the index in one SQL query and no chain call: the asset, the pledge encumbering it
 * (registered or enforced: PledgeRegistry's `_encumbrances`) with its valuation report's verdict inputs, and the
 * asset's pledge history. What depends on the chain's clock — the standing and the verdict — is judged at the time of
 * the index's head block, the block the answer is current to (`standingAt`, `verdictAt`).
 */
import { toUtf8String } from "ethers";
import { sql } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { AppError } from "../../errors/AppError";
import { inApiForm } from "../../chain/events";
import type { Registry } from "../../chain/registry";
import type { GatewayIndex } from "../../indexer/gatewayIndex";
import { chainEventsOf, indexedEventsQuery } from "../../indexer/reads";
import { dateOf, isoOf } from "../../openapi/schemas";
import { ASSET_KINDS, PLEDGE_STATUSES, VALUATION_VERDICTS } from "../../../../definitions/enumNames";
import { indexNow, standingAt } from "../assets/indexed";
import { LOSS_EVENTS, PLEDGE_EVENTS } from "../pledges/indexed";

/** Pledge statuses that hold the asset (set on registration, freed on release and disposal). */
const ENCUMBERING = [PLEDGE_STATUSES.indexOf("Registered"), PLEDGE_STATUSES.indexOf("Enforced")];
/** ReportStatus of contracts/types/Valuation.sol. */
const REPORT_STATUS = { Anchored: 1, Revoked: 2, Superseded: 3 } as const;

/**
 * `ValuationRegistry.verdictFor` at unix time `now`: from the report's status and validity and whether it covers
 * every pledged asset (`uncovered`: how many it does not).
 */
export function verdictAt(
  report: { status: number; valid_until: string | number } | null,
  uncovered: number,
  now: bigint,
): (typeof VALUATION_VERDICTS)[number] {
  if (!report) return "UNKNOWN";
  if (report.status === REPORT_STATUS.Revoked) return "REVOKED";
  if (report.status === REPORT_STATUS.Superseded) return "SUPERSEDED";
  if (now > BigInt(report.valid_until)) return "EXPIRED";
  return uncovered > 0 ? "ASSET_NOT_COVERED" : "VALID";
}

const bytes3Text = (hex: string) => toUtf8String(hex).replace(/\0+$/, "");

/** The collateral status as GET /v1/collateral/{assetId} answers it, without `currentToBlock`. */
export async function readIndexedCollateral(index: GatewayIndex, registry: Registry, assetId: string) {
  const db = index.db;
  const pledgeIds = sql<string>`(select pledge_id::text from pledge_assets where asset_id = ${assetId})`;
  const history = indexedEventsQuery(db, registry.deployment, [
    { contract: "pledgeRegistry", names: PLEDGE_EVENTS, arg: "pledgeId", values: pledgeIds },
    { contract: "lossSharing", names: LOSS_EVENTS, arg: "pledgeId", values: pledgeIds },
  ])!;
  const [row, now] = await Promise.all([
    db
      .selectNoFrom((eb) => [
        jsonObjectFrom(
          eb
            .selectFrom("assets")
            .select(["official_number", "kind", "status", "freeze_kind", "expiry_date", "fees_paid_until"])
            .where("asset_id", "=", assetId),
        ).as("asset"),
        jsonObjectFrom(
          eb
            .selectFrom("pledge_assets as pa")
            .innerJoin("pledges as p", "p.pledge_id", "pa.pledge_id")
            .leftJoin("valuation_reports as r", "r.document_hash", "p.valuation_report_id")
            .select([
              sql<string>`p.pledge_id::text`.as("pledge_id"),
              "p.status",
              "p.pledgee",
              sql<string>`p.principal::text`.as("principal"),
              "p.currency",
              "p.maturity_date",
              sql<string>`p.registration_number::text`.as("registration_number"),
              "p.registered_at",
              "p.valuation_report_id",
              "r.status as report_status",
              "r.valid_until as report_valid_until",
              sql<number>`(select count(*) from pledge_assets x where x.pledge_id = p.pledge_id and not exists (
                select 1 from report_assets y where y.document_hash = p.valuation_report_id and y.asset_id = x.asset_id
              ))`.as("uncovered"),
            ])
            .where("pa.asset_id", "=", assetId)
            .where("p.status", "in", ENCUMBERING)
            .orderBy("p.pledge_id", "desc")
            .limit(1),
        ).as("pledge"),
        jsonArrayFrom(history).as("history"),
      ])
      .executeTakeFirstOrThrow(),
    indexNow(index),
  ]);
  const { asset, pledge } = row;
  if (!asset) throw AppError.of("NOT_FOUND", `no asset ${assetId} in the register`, "assetId");
  const events = chainEventsOf(registry.deployment, row.history).map(inApiForm);
  const registration = pledge
    ? events.find((e) => e.event === "PledgeRegistered" && e.args.pledgeId === pledge.pledge_id)
    : undefined;
  return {
    assetId,
    officialNumber: asset.official_number,
    kind: ASSET_KINDS[asset.kind],
    standing: standingAt(asset, now),
    pledged: pledge !== null,
    pledge: pledge
      ? {
          pledgeId: pledge.pledge_id,
          status: PLEDGE_STATUSES[pledge.status],
          pledgee: pledge.pledgee,
          principal: pledge.principal,
          currency: bytes3Text(pledge.currency),
          maturityDate: dateOf(BigInt(pledge.maturity_date)),
          registrationNumber: pledge.registration_number,
          registeredAt: isoOf(BigInt(pledge.registered_at!)),
          valuationReportId: pledge.valuation_report_id,
          valuationVerdict: verdictAt(
            pledge.report_status === null
              ? null
              : { status: pledge.report_status, valid_until: pledge.report_valid_until! },
            Number(pledge.uncovered),
            now,
          ),
          registration: registration
            ? { transactionHash: registration.transactionHash, blockNumber: registration.blockNumber }
            : null,
        }
      : null,
    history: events,
  };
}
