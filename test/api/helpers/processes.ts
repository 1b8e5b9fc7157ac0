/**
 * Child processes for end-to-end tests: free ports, a process whose output is kept and awaited, and a kill that
 * reaches its whole process group (so a Hardhat node that `scripts/start.ts` spawned goes too).
 */
import { spawn, type ChildProcess } from "node:child_process";

/** A port nobody listens on right now (below Linux's ephemeral range: see there). */
export { freePort } from "../../../scripts/lib/anvilChain";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class RunningProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<Exit>;
  private exit?: Exit;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Its own process group, started with `detached`, so `killGroup` reaches what it spawned. */
  static start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): RunningProcess {
    return new RunningProcess(spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
  }

  get running() {
    return this.exit === undefined;
  }

  /** Resolves with the stdout so far once `pattern` appears in it; rejects on exit or after `ms`. */
  async waitForOutput(pattern: RegExp, ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    while (!pattern.test(this.stdout)) {
      if (!this.running) throw new Error(`exited (${JSON.stringify(this.exit)}) before ${pattern}:\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.stdout;
  }

  output() {
    return `--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`;
  }

  /** SIGKILL to the process group; harmless when it has already gone. */
  killGroup() {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // the group is gone already
    }
  }
}

/** Does a JSON-RPC node answer on `url`? (a plain fetch: ethers would log every failed attempt) */
export async function chainAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

export async function waitForChain(url: string, node: RunningProcess, ms: number) {
  const deadline = Date.now() + ms;
  while (!(await chainAnswers(url))) {
    if (!node.running) throw new Error(`the Hardhat node exited:\n${node.output()}`);
    if (Date.now() > deadline) throw new Error(`no chain on ${url} within ${ms} ms:\n${node.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Does anything accept HTTP on `url`? */
export async function httpAnswers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}
