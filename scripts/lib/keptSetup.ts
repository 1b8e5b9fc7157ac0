/**
 * What `npm start` set up on the embedded chain's first start, kept in its data folder so that later starts reuse it
 * instead of setting up again: the deployment, the demo organisations and their API keys (created once, never
 * reissued). The API keys file is readable by its owner only (mode 0600) and is written last: it marks a first start
 * that finished. Each file is written durably (fsync'ed, then renamed into place).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { deploymentSchema, type Deployment } from "../../definitions/deployment";
import { writeFileDurably } from "../../api/src/documents/durableFile";
import { organisationSchema, type Organisation } from "../../api/src/organisations";

export interface DemoKeyRecord {
  id: string;
  apiKey: string;
  /** Index of its Hardhat development account. */
  account: number;
}

export interface KeptSetup {
  deployment: Deployment;
  organisations: Organisation[];
  demoKeys: DemoKeyRecord[];
}

const FILES = { deployment: "deployment.json", organisations: "organisations.json", demoKeys: "demo-keys.json" };

const demoKeysSchema = z.array(z.object({ id: z.string(), apiKey: z.string(), account: z.number().int() }));

export const setupFiles = (dir: string) => Object.values(FILES).map((file) => join(dir, file));

/** Has a first start in `dir` finished setting up? */
export const setupFinished = (dir: string) => existsSync(join(dir, FILES.demoKeys));

export function readSetup(dir: string): KeptSetup {
  const read = <T>(file: string, schema: z.ZodType<T>): T => {
    const path = join(dir, file);
    try {
      return schema.parse(JSON.parse(readFileSync(path, "utf8")));
    } catch (error) {
      throw new Error(`cannot read ${path}, kept from the first start: ${(error as Error).message}`);
    }
  };
  return {
    deployment: read(FILES.deployment, deploymentSchema),
    organisations: read(FILES.organisations, z.array(organisationSchema)),
    demoKeys: read(FILES.demoKeys, demoKeysSchema),
  };
}

export function keepSetup(dir: string, setup: KeptSetup) {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileDurably(join(dir, FILES.deployment), json(setup.deployment));
  writeFileDurably(join(dir, FILES.organisations), json(setup.organisations));
  writeFileDurably(join(dir, FILES.demoKeys), json(setup.demoKeys), 0o600);
}
