/**
 * `npm run sign -- typed-data|transaction` — a party signs what the gateway asked it to sign, with its own key, on
 * its own machine. Reads the JSON from standard input (a `typedData` object, or one prepared transaction) and the key
 * from SIGNER_PRIVATE_KEY; prints the signature (typed data) or the signed raw transaction.
 *
 *   curl … | jq '.signers[0].typedData' | SIGNER_PRIVATE_KEY=0x… npm run -s sign -- typed-data
 */
import { signPreparedTransaction, signTypedDataRequest } from "./lib/partySigning";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  const what = process.argv[2];
  // eslint-disable-next-line no-process-env -- the party's own key, read by the party's own tool
  const key = process.env.SIGNER_PRIVATE_KEY;
  if ((what !== "typed-data" && what !== "transaction") || !key) {
    process.stderr.write("usage: SIGNER_PRIVATE_KEY=0x… npm run -s sign -- typed-data|transaction < request.json\n");
    process.exit(2);
  }
  const input = JSON.parse(await readStdin());
  const output =
    what === "typed-data" ? await signTypedDataRequest(key, input) : await signPreparedTransaction(key, input);
  process.stdout.write(`${output}\n`);
}

main().catch((error) => {
  process.stderr.write(`could not sign: ${(error as Error).message}\n`);
  process.exit(1);
});
