/**
 * The bank's own pledges from the register's read model (GET /v1/pledges?pledgee=…), a page at a time, read
 * defensively like api.ts.
 */
import { PLEDGE_STATUSES } from "../../definitions/enumNames";
import { wire, type When } from "./api";

const { call, obj, arr, str, named } = wire;

export interface ListedPledge {
  pledgeId: string;
  status: string | null;
  registrationNumber: string | null;
  assets: string[];
  principal: string;
  currency: string;
  maturityDate: When | null;
}

export async function pledgesOf(
  key: string,
  pledgee: string,
  cursor: string | null,
): Promise<{ pledges: ListedPledge[]; nextCursor: string | null }> {
  const query = new URLSearchParams({ pledgee, limit: "25" });
  if (cursor) query.set("cursor", cursor);
  const o = await call(`/pledges?${query}`, { key });
  return {
    pledges: arr(o.pledges).map((v) => {
      const p = obj(v);
      return {
        pledgeId: str(p.pledgeId) ?? "",
        status: named(p.status, PLEDGE_STATUSES),
        registrationNumber: str(p.registrationNumber),
        assets: arr(p.assets).map((a) => str(a) ?? ""),
        principal: str(p.principal) ?? "0",
        currency: str(p.currency) ?? "CNY",
        maturityDate: str(p.maturityDate),
      };
    }),
    nextCursor: str(o.nextCursor),
  };
}
