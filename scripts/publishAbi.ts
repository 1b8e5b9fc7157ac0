/**
 * `npm run publish:abi` — compile, then write published/contracts.json: the contract interface an outside client
 * needs (ABIs, EIP-712 typed data, enum names, error catalogue), without any deployment's addresses. Run it after
 * changing a contract, an EIP-712 type or the error table; test/api/contracts.test.ts fails while it is stale.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { contractInterface } from "../api/src/routes/contracts/contractInterface";

export const PUBLISHED_FILE = join(__dirname, "..", "published", "contracts.json");

/** The file's exact text: stable key order as built, two-space indent, one final newline. */
export const publishedText = () => `${JSON.stringify(contractInterface(), null, 2)}\n`;

if (require.main === module) {
  mkdirSync(dirname(PUBLISHED_FILE), { recursive: true });
  writeFileSync(PUBLISHED_FILE, publishedText());
  console.log(`wrote ${PUBLISHED_FILE}`);
}
