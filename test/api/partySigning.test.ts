/**
 * `npm run sign` (scripts/lib/partySigning.ts): a party signs, with its own key, the typed data and the prepared
 * transactions the gateway gives it — and the results are what the chain accepts.
 */
import { expect } from "chai";
import { Transaction, Wallet, verifyTypedData } from "ethers";
import { signPreparedTransaction, signTypedDataRequest } from "../../scripts/lib/partySigning";

const key = Wallet.createRandom().privateKey;
const wallet = new Wallet(key);

describe("party signing (npm run sign)", () => {
  it("signs typed data as the API returns it, ignoring a listed EIP712Domain type", async () => {
    const request = {
      domain: { name: "IPPledgeRegistry", version: "1", chainId: 31337, verifyingContract: wallet.address },
      types: {
        EIP712Domain: [{ name: "name", type: "string" }],
        PledgeRelease: [
          { name: "pledgeId", type: "uint256" },
          { name: "signer", type: "address" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "PledgeRelease",
      message: { pledgeId: "7", signer: wallet.address, nonce: "12345", deadline: "1900000000" },
    };
    const signature = await signTypedDataRequest(key, request);
    const { EIP712Domain: _, ...types } = request.types;
    void _;
    expect(verifyTypedData(request.domain, types, request.message, signature)).to.equal(wallet.address);
  });

  it("signs a prepared EIP-1559 transaction for its own account", async () => {
    const raw = await signPreparedTransaction(key, {
      from: wallet.address,
      to: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      data: "0x12345678",
      value: "0",
      chainId: "31337",
      nonce: 4,
      gasLimit: "200000",
      maxFeePerGas: "2000000000",
      maxPriorityFeePerGas: "1000000000",
    });
    const tx = Transaction.from(raw);
    expect([tx.from, tx.to, tx.data, tx.nonce, tx.chainId, tx.type]).to.deep.equal([
      wallet.address,
      "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      "0x12345678",
      4,
      31337n,
      2,
    ]);
  });

  it("refuses a transaction prepared for another account", async () => {
    await expect(
      signPreparedTransaction(key, {
        from: Wallet.createRandom().address,
        chainId: 1,
        nonce: 0,
        gasLimit: 21000,
        gasPrice: 1,
      }),
    ).to.be.rejectedWith(/prepared for/);
  });
});
