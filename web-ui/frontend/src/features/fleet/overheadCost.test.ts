import { overheadCostPerHour } from "./overheadCost";

describe("the VM overhead's cost", () => {
  it("prices the overhead in GiB at the hardware GiB-hour price, exactly, to four decimals", () => {
    expect(overheadCostPerHour("0.0068400", 2 * 1024 ** 3)).toBe("0.0136");
    expect(overheadCostPerHour("0.0068400", 512 * 1024 ** 2)).toBe("0.0034");
    expect(overheadCostPerHour("1.5", 100 * 1024 ** 3)).toBe("150.0000");
  });

  it("is nothing for no overhead", () => {
    expect(overheadCostPerHour("0.0068400", 0)).toBe("0.0000");
  });
});
