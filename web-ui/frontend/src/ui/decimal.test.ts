import { add, approximate, compare, grouped, isDecimal, isNegative, isZero, percent, round, roundHalfEven, sum } from "./decimal";

describe("decimal", () => {
  it("adds exactly where floating point would not", () => {
    expect(add("0.1", "0.2")).toBe("0.3");
    expect(sum(["0.0000125", "1.123456789012345678", "0.1", "0.2"])).toBe("1.423469289012345678");
  });

  it("keeps the largest scale of its terms and handles signs", () => {
    expect(sum(["1.50", "2"])).toBe("3.50");
    expect(sum(["12.3456987", "-0.0000198"])).toBe("12.3456789");
    expect(sum(["-0.5", "0.25"])).toBe("-0.25");
    expect(sum([])).toBe("0");
  });

  it("reads exponents as BigDecimal would write them", () => {
    expect(add("1.25E-5", "0")).toBe("0.0000125");
    expect(add("1e3", "0")).toBe("1000");
  });

  it("refuses what is not a decimal", () => {
    expect(() => sum(["12abc"])).toThrow(/not a decimal/);
    expect(isDecimal("0.5")).toBe(true);
    expect(isDecimal("NaN")).toBe(false);
  });

  it("compares, tells zero and negatives", () => {
    expect(compare("0.30", "0.3")).toBe(0);
    expect(compare("1.000000000000000001", "1")).toBe(1);
    expect(compare("-2", "1")).toBe(-1);
    expect(isZero("0.000")).toBe(true);
    expect(isNegative("-0.01")).toBe(true);
    expect(isNegative("0")).toBe(false);
  });

  it("rounds half away from zero for reading", () => {
    expect(round("900.0000000001", 1)).toBe("900.0");
    expect(round("1200.25", 1)).toBe("1200.3");
    expect(round("-10.45", 1)).toBe("-10.5");
    expect(round("7", 1)).toBe("7.0");
  });

  it("rounds money half-even to cents, as amounts due are", () => {
    expect(roundHalfEven("2.345")).toBe("2.34");
    expect(roundHalfEven("2.355")).toBe("2.36");
    expect(roundHalfEven("2.3451")).toBe("2.35");
    expect(roundHalfEven("-2.345")).toBe("-2.34");
    expect(roundHalfEven("7")).toBe("7.00");
  });

  it("groups thousands without touching the digits", () => {
    expect(grouped("1234567.123456")).toBe("1,234,567.123456");
    expect(grouped("-1000")).toBe("-1,000");
    expect(grouped("999")).toBe("999");
  });

  it("gives an approximate number and a percentage for pictures only", () => {
    expect(approximate("0.0000125")).toBeCloseTo(0.0000125);
    expect(percent("40.5", "50.00")).toBe(81);
    expect(percent("1", "3")).toBeCloseTo(33.3333, 3);
    expect(percent("5", "0")).toBe(0);
  });
});
