/** /v1/contracts: the contract interface of the deployment this gateway serves (see contractInterface.ts). */
import { z } from "zod";
import "../../openapi/registry";

const abi = z.array(z.record(z.string(), z.unknown())).openapi({ description: "the Solidity ABI (JSON)" });

export const contractsSchema = z
  .object({
    chainId: z.number().int(),
    deploymentBlock: z.number().int().openapi({ description: "the block the registry was deployed in" }),
    deployedAt: z.string().openapi({ format: "date-time", description: "instant, ISO 8601 in UTC" }),
    description: z.string(),
    contracts: z
      .record(z.string(), z.object({ name: z.string(), address: z.string(), abi }))
      .openapi({ description: "the registry's contracts by their key in the deployment file" }),
    perPool: z
      .record(z.string(), z.object({ name: z.string(), abi }))
      .openapi({ description: "deployed once per special plan: addresses in GET /v1/pools/{pool}" }),
    paymentToken: z
      .object({ name: z.string(), abi })
      .openapi({ description: "a pool's payment token: the ERC-20 interface (its address is in the pool's answer)" }),
    demoStablecoin: z
      .string()
      .optional()
      .openapi({ description: "embedded demo chain only: the test CNY stablecoin (ERC-20, 2 decimals)" }),
    eip712: z
      .record(
        z.string(),
        z.object({
          contract: z.string(),
          domain: z.object({
            name: z.string(),
            version: z.string(),
            chainId: z.number().int(),
            verifyingContract: z.string(),
          }),
          primaryType: z.string(),
          types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))),
          signedBy: z.string(),
          usedBy: z.string().openapi({ description: "the contract function that takes the signature" }),
        }),
      )
      .openapi({ description: "what each party signs: signTypedData(domain, types, message) in ethers" }),
    enums: z
      .record(z.string(), z.array(z.string()))
      .openapi({ description: "each enum's value names; the index is the number the ABI carries" }),
    errors: z
      .record(z.string(), z.object({ code: z.string(), status: z.number().int(), message: z.string() }))
      .openapi({ description: "each custom error → the API's code, status and message template" }),
  })
  .openapi("ContractInterface", {
    description:
      "The same JSON, without chainId, deploymentBlock, deployedAt and addresses, is published/contracts.json",
  });
