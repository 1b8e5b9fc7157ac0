/**
 * Nothing acknowledged is lost, even on kill -9 (issue 9): several clients write through the API, the whole process
 * group of `npm start` is killed with SIGKILL at a random moment, it is started again, and every write it had
 * answered with a 2xx is there. The writes are multi-step (a report stored then anchored, a pledge application
 * drafted, signed then submitted): after each restart a step the kill cut is completed or shown with a clear state,
 * never half there (bench/crashCycles.ts). `npm run crash:cycles -- 100` runs the same for longer.
 */
import { expect } from "chai";
import { crashCycles } from "../../bench/crashCycles";

const CYCLES = 10;

describe("npm start killed at random moments under writes", function () {
  this.timeout(10 * 60_000);

  it(`keeps every acknowledged write through ${CYCLES} kill -9 cycles`, async () => {
    const report = await crashCycles(CYCLES, { clients: 4 });
    expect(report.missing).to.deep.equal([]);
    expect(report.acknowledged, "the workload got writes acknowledged").to.be.greaterThan(CYCLES);
    expect(report.present).to.equal(report.acknowledged);
    // The multi-step writes went all the way through, several times.
    expect(report.kinds.anchors, "reports anchored").to.be.greaterThan(0);
    expect(report.kinds.pledges, "applications submitted").to.be.greaterThan(0);
  });
});
