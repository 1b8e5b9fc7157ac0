import { expect } from "chai";
import { ethers } from "hardhat";
import { deployRegistry } from "../scripts/lib/deployRegistry";

describe("deployRegistry", () => {
  it("deploys without printing warnings (ethers cannot parse the rules library's ABI, so it is deployed by bytecode)", async () => {
    const [admin, registrar] = await ethers.getSigners();
    const printed: unknown[][] = [];
    const original = { log: console.log, warn: console.warn };
    console.log = (...args: unknown[]) => void printed.push(args);
    console.warn = console.log;
    try {
      const contracts = await deployRegistry({ admin, registrar: registrar.address });
      expect(await ethers.provider.getCode(await contracts.pledgeRegistry.getAddress())).to.not.equal("0x");
    } finally {
      Object.assign(console, original);
    }
    expect(printed.map((args) => args.map(String).join(" "))).to.deep.equal([]);
  });
});
