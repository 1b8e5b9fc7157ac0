/**
 * The risk-compensation schemes of SPEC §4.3. Shares are in basis points of the loss; the bank's share is
 * implied (whatever the other parties do not bear, after caps). Caps are in the currency's smallest unit:
 * CNY has 2 decimals, so 5,000,000 CNY = 500,000,000 fen. A cap of 0 means "no cap".
 */
import { encodeBytes32String } from "ethers";

export const CNY_DECIMALS = 2;
export const cny = (yuan: bigint | number): bigint => BigInt(yuan) * 10n ** BigInt(CNY_DECIMALS);

export interface SchemePartyConfig {
  name: string;
  shareBps: number;
  perLoanCap: bigint;
  perBorrowerYearCap: bigint;
}

export interface RiskSchemeConfig {
  key: string;
  name: string;
  /** The bank's nominal share, for documentation; on chain the bank takes the remainder. */
  bankShareBps: number;
  parties: SchemePartyConfig[];
}

const party = (name: string, shareBps: number, perLoanCap = 0n, perBorrowerYearCap = 0n): SchemePartyConfig => ({
  name,
  shareBps,
  perLoanCap,
  perBorrowerYearCap,
});

export const RISK_SCHEMES: RiskSchemeConfig[] = [
  {
    key: "zhongshan",
    name: "Zhongshan 54:26:16:4",
    bankShareBps: 2600,
    parties: [party("fund", 5400), party("insurer", 1600), party("ip-service-firm", 400)],
  },
  {
    key: "guangzhou-55",
    name: "Guangzhou 55",
    bankShareBps: 5000,
    parties: [party("fund", 5000, cny(5_000_000), cny(10_000_000))],
  },
  {
    key: "guangzhou-541",
    name: "Guangzhou 541",
    bankShareBps: 1000,
    parties: [party("fund", 5000), party("insurer", 4000)],
  },
  { key: "zhuhai", name: "Zhuhai 60:40", bankShareBps: 6000, parties: [party("fund", 4000)] },
  { key: "shenzhen", name: "Shenzhen 1:1", bankShareBps: 5000, parties: [party("fund", 5000, cny(2_000_000))] },
];

/** The on-chain form of a scheme's parties (names as bytes32 strings). */
export function schemePartiesOnChain(scheme: RiskSchemeConfig) {
  return scheme.parties.map((p) => ({
    name: encodeBytes32String(p.name),
    shareBps: p.shareBps,
    perLoanCap: p.perLoanCap,
    perBorrowerYearCap: p.perBorrowerYearCap,
  }));
}
