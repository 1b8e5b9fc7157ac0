/**
 * A JSON-RPC endpoint in front of the in-process Hardhat network that can stop answering on command, as a stalled
 * chain does: it accepts the connection and the request, then says nothing. It records every method it received, so
 * a test can tell what the gateway sent; on `resume` the requests it held are either delivered late (a slow chain
 * that finally processes them) or lost.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { network } from "hardhat";

interface Payload {
  id: number | string;
  method: string;
  params?: unknown[];
}

export class StallingProxy {
  /** Every method received, in order, stalled or not. */
  readonly received: string[] = [];
  private stalling?: (method: string) => boolean;
  private held: { payloads: Payload | Payload[]; res: ServerResponse }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<StallingProxy> {
    let proxy!: StallingProxy;
    const server = createServer((req, res) => void proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    proxy = new StallingProxy(server, `http://127.0.0.1:${port}`);
    return proxy;
  }

  /** Stop answering every request, or only requests for these methods. */
  stall(methods?: string[]) {
    this.stalling = methods ? (method) => methods.includes(method) : () => true;
  }

  /** Answer again; the held requests are delivered to the chain now, or lost (never reach it). */
  async resume({ deliverHeld }: { deliverHeld: boolean }) {
    this.stalling = undefined;
    for (const { payloads, res } of this.held.splice(0)) {
      if (deliverHeld) await this.answer(payloads, res);
      else res.destroy();
    }
  }

  sent(method: string) {
    return this.received.filter((m) => m === method).length;
  }

  async close() {
    for (const { res } of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const payloads = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Payload | Payload[];
    const methods = (Array.isArray(payloads) ? payloads : [payloads]).map((p) => p.method);
    this.received.push(...methods);
    if (this.stalling && methods.some(this.stalling)) this.held.push({ payloads, res });
    else await this.answer(payloads, res);
  }

  private async answer(payloads: Payload | Payload[], res: ServerResponse) {
    const one = async ({ id, method, params }: Payload) => {
      try {
        return { jsonrpc: "2.0", id, result: await network.provider.request({ method, params }) };
      } catch (error) {
        const e = error as { code?: number; message?: string; data?: unknown };
        return { jsonrpc: "2.0", id, error: { code: e.code ?? -32603, message: e.message, data: e.data } };
      }
    };
    const body = Array.isArray(payloads) ? await Promise.all(payloads.map(one)) : await one(payloads);
    if (!res.destroyed) res.setHeader("content-type", "application/json").end(JSON.stringify(body));
  }
}
