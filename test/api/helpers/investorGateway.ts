/**
 * A pool's gateway with two investor organisations besides the demo ones: "senior-holder", the account holding the
 * senior tranche, and "no-holder", an account holding no tranche of it. Each signs in with the API key
 * `ipr_<id>`.
 */
import request from "supertest";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { buildApp } from "../../../api/src/server";
import { createLogger } from "../../../api/src/logger";
import { DocumentStore } from "../../../api/src/documents/store";
import { OrganisationDirectory, hashApiKey, type Organisation } from "../../../api/src/organisations";
import { deployGatewayFixture } from "./gatewayFixture";
import { DEFAULT_TEST_CONFIG } from "./customGateway";
import { openPoolGateway } from "./poolParties";

/** An investor organisation whose API key is `ipr_<id>`. */
export const investorOrganisation = (id: string, name: string, address: string): Organisation => ({
  id,
  name,
  role: "investor",
  address,
  keyHash: hashApiKey(`ipr_${id}`),
});

export async function poolGatewayWithInvestors() {
  const { demo } = await loadFixture(deployGatewayFixture); // before the pool: loadFixture reverts the chain
  const f = await openPoolGateway();
  const app = buildApp({
    config: DEFAULT_TEST_CONFIG,
    logger: createLogger("silent"),
    registry: f.registry,
    store: new DocumentStore(f.dataDir),
    records: f.records,
    organisations: new OrganisationDirectory([
      ...demo.map((d) => d.organisation),
      investorOrganisation("senior-holder", "senior-holder", f.people.investor.address),
      investorOrganisation("no-holder", "no-holder", f.people.secondInvestor.address),
    ]),
  });
  /** GET /v1`path` as investor `id`. */
  const get = (id: "senior-holder" | "no-holder", path: string) =>
    request(app).get(`/v1${path}`).set("Authorization", `Bearer ipr_${id}`);
  return { f, get };
}
