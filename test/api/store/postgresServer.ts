/**
 * A throw-away PostgreSQL server for the tests: Debian's binaries (.ci/run installs `postgresql` when missing),
 * `initdb` in a temporary folder, `postgres` on a free port, as an unprivileged user when the tests run as root
 * (PostgreSQL refuses root). Never skipped: without the binaries the suite fails and says what to install.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";

export interface PostgresServer {
  /** postgres://… of the server's `postgres` database. */
  url: string;
  /** A new empty database on the server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function binaries() {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: apt-get install postgresql (.ci/run does)",
    );
  }
  return join(root, versions[0], "bin");
}

async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** As root: run as `nobody`; otherwise as ourselves. */
function asUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync("id", ["-u", "nobody"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "nobody"]).toString().trim());
  return { uid, gid };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), "ipr-postgres-"));
  const data = join(dir, "data");
  const user = asUser();
  if (user.uid !== undefined) {
    chownSync(dir, user.uid, user.gid as number);
    chmodSync(dir, 0o700);
  }
  execFileSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], {
    ...user,
    cwd: dir,
    stdio: "pipe",
  });
  const port = await freePort();
  const server: ChildProcess = spawn(
    join(bin, "postgres"),
    ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    { ...user, cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  server.stderr?.on("data", (chunk) => (log += chunk));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited (${server.exitCode}): ${log}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not start within 30 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    url,
    async createDatabase(name) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        // Smart shutdown: wait for the clients to leave (pg's pool.end() resolves before its sockets have closed,
        // and a fast shutdown would then fail them with "terminating connection"); fast shutdown after 10 s.
        server.kill("SIGTERM");
        const fast = setTimeout(() => server.kill("SIGINT"), 10_000);
        await exited;
        clearTimeout(fast);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
