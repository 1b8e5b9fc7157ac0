/**
 * loadConfig: the documented defaults, every bad variable reported by its name, and RPC_URL mode, where nothing is
 * defaulted.
 */
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../api/src/config/env";

const KEY = `0x${"ab".repeat(32)}`;
const RPC_MODE = { RPC_URL: "http://10.0.0.5:8545", RELAYER_PRIVATE_KEY: KEY, ORGANISATIONS_FILE: "orgs.json" };

/** The ConfigError's problems; fails the test when the configuration is accepted. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  expect.fail(`the configuration ${JSON.stringify(env)} was accepted`);
}

/** The variables a ConfigError names, in its order ("PORT: Too big…" → "PORT"). */
const namesIn = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(":")));

describe("gateway — configuration", () => {
  describe("defaults", () => {
    it("defaults everything for the embedded chain when nothing is set", () => {
      expect(loadConfig({})).to.deep.equal({
        HOST: "127.0.0.1",
        PORT: 8080,
        CHAIN_PORT: 8545,
        DEPLOYMENT_FILE: "deployments/localhost.json",
        DATA_DIR: "data",
        INDEX_WAIT_MS: 5000,
        LOG_LEVEL: "info",
        MAX_DOCUMENT_BYTES: 20 * 1024 * 1024,
        MAX_JSON_BYTES: 256 * 1024,
        RATE_LIMIT_PER_MINUTE: 1200,
        RPC_TIMEOUT_MS: 5000,
        RECEIPT_TIMEOUT_MS: 20_000,
        RELAYER_MAX_IN_FLIGHT: 16,
        RELAYER_REPLACE_AFTER_MS: 15_000,
        RELAYER_MAX_REPLACEMENTS: 3,
        IDEMPOTENCY_RETENTION_HOURS: 24,
        RECORD_SWEEP_INTERVAL_MS: 600_000,
      });
    });

    it("turns numeric variables from strings into numbers and keeps the others as given", () => {
      const config = loadConfig({
        HOST: "0.0.0.0",
        PORT: "9090",
        CHAIN_PORT: "18545",
        LOG_LEVEL: "warn",
        MAX_JSON_BYTES: "1024",
        RATE_LIMIT_PER_MINUTE: "5",
        ...RPC_MODE,
      });
      expect(config).to.include({
        HOST: "0.0.0.0",
        PORT: 9090,
        CHAIN_PORT: 18545,
        LOG_LEVEL: "warn",
        MAX_JSON_BYTES: 1024,
        RATE_LIMIT_PER_MINUTE: 5,
        ...RPC_MODE,
      });
    });

    it("ignores variables it does not know", () => {
      expect(loadConfig({ PATH: "/usr/bin", HOME: "/root" })).to.not.have.property("PATH");
    });
  });

  describe("each bad variable, by name", () => {
    for (const port of ["abc", "0", "65536", "80.5", "-1"]) {
      it(`names PORT when it is "${port}"`, () => {
        expect(namesIn(problemsOf({ PORT: port }))).to.deep.equal(["PORT"]);
      });
    }

    it("takes a postgres:// DATABASE_URL for the read model, and names it when it is anything else", () => {
      const url = "postgres://gateway:secret@db.internal:5432/registry";
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).to.equal(url);
      expect(loadConfig({ DATABASE_URL: "postgresql://db/registry" }).DATABASE_URL).to.equal(
        "postgresql://db/registry",
      );
      for (const bad of ["mysql://db/registry", "db.internal:5432", ""]) {
        expect(namesIn(problemsOf({ DATABASE_URL: bad }))).to.deep.equal(["DATABASE_URL"]);
      }
      expect(namesIn(problemsOf({ INDEX_WAIT_MS: "-1" }))).to.deep.equal(["INDEX_WAIT_MS"]);
    });

    it("names CHAIN_PORT when it is not a port number", () => {
      expect(namesIn(problemsOf({ CHAIN_PORT: "eighty" }))).to.deep.equal(["CHAIN_PORT"]);
    });

    // "localhost:8545" (scheme forgotten) parses as a URL of scheme "localhost:"; ethers' JsonRpcProvider speaks
    // only http(s), so such a gateway would start and then fail every chain call.
    for (const url of ["not a url", "http//127.0.0.1:8545", "localhost:8545", "ftp://127.0.0.1:8545"]) {
      it(`names RPC_URL when it is "${url}"`, () => {
        expect(namesIn(problemsOf({ ...RPC_MODE, RPC_URL: url }))).to.deep.equal(["RPC_URL"]);
      });
    }

    it("accepts an http or https RPC_URL", () => {
      for (const url of ["http://127.0.0.1:8545", "https://rpc.example.org/v1/key"]) {
        expect(loadConfig({ ...RPC_MODE, RPC_URL: url }).RPC_URL).to.equal(url);
      }
    });

    const badKeys = {
      "too short": "0x12",
      "without 0x": "ab".repeat(32),
      "one digit too many": `${KEY}0`,
      "not hex": `0x${"zz".repeat(32)}`,
    };
    for (const [why, key] of Object.entries(badKeys)) {
      it(`names RELAYER_PRIVATE_KEY when it is ${why}, saying what a key must be`, () => {
        const problems = problemsOf({ ...RPC_MODE, RELAYER_PRIVATE_KEY: key });
        expect(problems).to.deep.equal(["RELAYER_PRIVATE_KEY: must be a 0x-prefixed 32-byte hex private key"]);
      });
    }

    it("names LOG_LEVEL when it is not a pino level, listing the levels", () => {
      const [problem, ...others] = problemsOf({ LOG_LEVEL: "verbose" });
      expect(others).to.deep.equal([]);
      expect(problem).to.match(/^LOG_LEVEL: /);
      for (const level of ["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        expect(problem).to.include(level);
    });

    it("names MAX_JSON_BYTES, MAX_DOCUMENT_BYTES and RATE_LIMIT_PER_MINUTE when they are not positive integers", () => {
      const problems = problemsOf({ MAX_JSON_BYTES: "1kb", MAX_DOCUMENT_BYTES: "0", RATE_LIMIT_PER_MINUTE: "-5" });
      expect(namesIn(problems)).to.have.members(["MAX_JSON_BYTES", "MAX_DOCUMENT_BYTES", "RATE_LIMIT_PER_MINUTE"]);
    });

    it("takes RPC_TIMEOUT_MS and RECEIPT_TIMEOUT_MS in milliseconds and names them when they are not", () => {
      expect(loadConfig({ RPC_TIMEOUT_MS: "1500", RECEIPT_TIMEOUT_MS: "3000" })).to.include({
        RPC_TIMEOUT_MS: 1500,
        RECEIPT_TIMEOUT_MS: 3000,
      });
      for (const bad of ["5s", "0", "-1", "2.5", "3600000"]) {
        expect(namesIn(problemsOf({ RPC_TIMEOUT_MS: bad, RECEIPT_TIMEOUT_MS: bad })), bad).to.have.members([
          "RPC_TIMEOUT_MS",
          "RECEIPT_TIMEOUT_MS",
        ]);
      }
    });

    it("takes IDEMPOTENCY_RETENTION_HOURS and RECORD_SWEEP_INTERVAL_MS, and names each bad one", () => {
      expect(loadConfig({ IDEMPOTENCY_RETENTION_HOURS: "48", RECORD_SWEEP_INTERVAL_MS: "60000" })).to.include({
        IDEMPOTENCY_RETENTION_HOURS: 48,
        RECORD_SWEEP_INTERVAL_MS: 60_000,
      });
      for (const bad of ["0", "-1", "a day", "100000000"]) {
        expect(
          namesIn(problemsOf({ IDEMPOTENCY_RETENTION_HOURS: bad, RECORD_SWEEP_INTERVAL_MS: bad })),
          bad,
        ).to.have.members(["IDEMPOTENCY_RETENTION_HOURS", "RECORD_SWEEP_INTERVAL_MS"]);
      }
    });

    it("takes RELAYER_MAX_IN_FLIGHT from 1 (one transaction at a time) to 256 and names it otherwise", () => {
      expect(loadConfig({ RELAYER_MAX_IN_FLIGHT: "1" })).to.include({ RELAYER_MAX_IN_FLIGHT: 1 });
      for (const bad of ["0", "-1", "2.5", "many", "257"]) {
        expect(namesIn(problemsOf({ RELAYER_MAX_IN_FLIGHT: bad })), bad).to.deep.equal(["RELAYER_MAX_IN_FLIGHT"]);
      }
    });

    it("takes RELAYER_REPLACE_AFTER_MS (0: never) and RELAYER_MAX_REPLACEMENTS, and names each bad one", () => {
      expect(loadConfig({ RELAYER_REPLACE_AFTER_MS: "0", RELAYER_MAX_REPLACEMENTS: "5" })).to.include({
        RELAYER_REPLACE_AFTER_MS: 0,
        RELAYER_MAX_REPLACEMENTS: 5,
      });
      for (const bad of ["-1", "2.5", "soon", "3600001"]) {
        expect(namesIn(problemsOf({ RELAYER_REPLACE_AFTER_MS: bad })), bad).to.deep.equal(["RELAYER_REPLACE_AFTER_MS"]);
      }
      for (const bad of ["-1", "1.5", "21"]) {
        expect(namesIn(problemsOf({ RELAYER_MAX_REPLACEMENTS: bad })), bad).to.deep.equal(["RELAYER_MAX_REPLACEMENTS"]);
      }
    });

    it("lists every bad variable at once, one line each, in the error message", () => {
      const error = (() => {
        try {
          loadConfig({ PORT: "abc", LOG_LEVEL: "loud", RELAYER_PRIVATE_KEY: "0x12", DATA_DIR: "" });
        } catch (e) {
          return e as ConfigError;
        }
        expect.fail("accepted");
      })();
      expect(namesIn(error.problems)).to.have.members(["PORT", "LOG_LEVEL", "RELAYER_PRIVATE_KEY", "DATA_DIR"]);
      const lines = error.message.split("\n");
      expect(lines[0]).to.equal("invalid configuration:");
      expect(lines.slice(1)).to.deep.equal(error.problems.map((p) => `  - ${p}`));
    });
  });

  describe("RPC_URL mode: nothing is defaulted", () => {
    it("names both RELAYER_PRIVATE_KEY and ORGANISATIONS_FILE when RPC_URL comes alone", () => {
      expect(problemsOf({ RPC_URL: RPC_MODE.RPC_URL })).to.have.members([
        "RELAYER_PRIVATE_KEY: is required when RPC_URL is set (nothing is defaulted)",
        "ORGANISATIONS_FILE: is required when RPC_URL is set (nothing is defaulted)",
      ]);
    });

    it("names the one that is missing when the other is given", () => {
      const { RELAYER_PRIVATE_KEY, ...withoutKey } = RPC_MODE;
      const { ORGANISATIONS_FILE, ...withoutOrganisations } = RPC_MODE;
      expect([RELAYER_PRIVATE_KEY, ORGANISATIONS_FILE]).to.not.include(undefined);
      expect(namesIn(problemsOf(withoutKey))).to.deep.equal(["RELAYER_PRIVATE_KEY"]);
      expect(namesIn(problemsOf(withoutOrganisations))).to.deep.equal(["ORGANISATIONS_FILE"]);
    });

    it("still names both when another variable is bad too (every bad variable is reported)", () => {
      for (const other of [{ PORT: "abc" }, { LOG_LEVEL: "verbose" }, { RPC_URL: "not a url" }]) {
        const names = namesIn(problemsOf({ RPC_URL: RPC_MODE.RPC_URL, ...other }));
        expect(names, JSON.stringify(other)).to.include.members([
          Object.keys(other)[0],
          "RELAYER_PRIVATE_KEY",
          "ORGANISATIONS_FILE",
        ]);
      }
    });

    it("accepts RPC_URL with a relayer key and an organisations file", () => {
      expect(loadConfig(RPC_MODE)).to.include(RPC_MODE);
    });

    it("does not require them without RPC_URL (the embedded chain brings its own)", () => {
      const config = loadConfig({});
      expect([config.RPC_URL, config.RELAYER_PRIVATE_KEY, config.ORGANISATIONS_FILE]).to.deep.equal([
        undefined,
        undefined,
        undefined,
      ]);
    });
  });
});
