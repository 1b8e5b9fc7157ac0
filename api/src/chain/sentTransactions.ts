/**
 * Who wants to know the hash of every transaction a request makes the gateway send, before it is broadcast: the
 * idempotency middleware records it with the request, so that a gateway that dies after the transaction is mined
 * (and before it answered) leaves enough for a retry — at any gateway — to answer from the chain, never sending again.
 * The request's handler runs inside `watchSentTransactions`; the relayer (and a party-signed broadcast) call
 * `noteSent` with the hash and await it before the transaction leaves.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const watcher = new AsyncLocalStorage<(hash: string) => Promise<void>>();

/** Run `work` with `onSent` told every transaction hash sent on its behalf (awaited before the broadcast). */
export function watchSentTransactions<T>(onSent: (hash: string) => Promise<void>, work: () => T): T {
  return watcher.run(onSent, work);
}

/** Tell the current request's watcher (if any) that `hash` is about to be sent; resolves once it has recorded it. */
export async function noteSent(hash: string): Promise<void> {
  await watcher.getStore()?.(hash.toLowerCase());
}

/** Run `work` outside any request's watch: a transaction the relayer sends for itself (a nonce filler). */
export function unwatched<T>(work: () => T): T {
  return watcher.exit(work);
}
