import { describe, expect, it } from "vitest";
import { compare, quoteNumbers, readExact, roundHalfEven, sum } from "./exact";

describe("exact decimals from tenant-billing", () => {
  it("keeps every digit of a JSON number, and leaves numbers inside strings alone", () => {
    const text = '{"total": 12.345678901234567891, "day": "2026-03-01", "n": -0.0000125, "s": "a \\"1\\" b", "list": [1, 2e3]}';
    expect(readExact<{ total: number }>(text)).toEqual({ total: "12.345678901234567891", day: "2026-03-01", n: "-0.0000125", s: 'a "1" b', list: ["1", "2e3"] });
    expect(quoteNumbers("[true,null,3]")).toBe('[true,null,"3"]');
  });

  it("adds, compares and rounds half-even without floating point", () => {
    expect(sum(["0.1", "0.2"])).toBe("0.3");
    expect(sum([])).toBe("0");
    expect(compare("10.5", "9.99")).toBe(1);
    expect(roundHalfEven("2.345")).toBe("2.34");
    expect(roundHalfEven("2.355")).toBe("2.36");
    expect(roundHalfEven("2.3451")).toBe("2.35");
    expect(roundHalfEven("7")).toBe("7.00");
  });
});
