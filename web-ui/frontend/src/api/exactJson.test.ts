import { quoteNumbers, readExact } from "./exactJson";

describe("readExact", () => {
  it("keeps every digit of the numbers tenant-billing sends", () => {
    const read = readExact<{ cost: number; rows: { quantity: number }[] }>(
      '{"cost": 1.123456789012345678, "rows": [{"quantity": 0.0000000001}, {"quantity": -12}]}',
    );
    expect(read.cost).toBe("1.123456789012345678");
    expect(read.rows.map((r) => r.quantity)).toEqual(["0.0000000001", "-12"]);
  });

  it("leaves strings, escapes, booleans and null alone", () => {
    const text = '{"name":"a \\"quoted\\" 12, -3","ok":true,"none":null,"list":[1,2.5e-3],"day":"2026-03-01"}';
    expect(JSON.parse(quoteNumbers(text))).toEqual({ name: 'a "quoted" 12, -3', ok: true, none: null, list: ["1", "2.5e-3"], day: "2026-03-01" });
  });
});
