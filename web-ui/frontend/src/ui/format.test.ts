import { ago, bytes, cores, mebibytes, money } from "./format";

describe("format", () => {
  it("writes CPU in cores and memory in MiB or GiB", () => {
    expect(cores(250)).toBe("0.25 vCPU");
    expect(cores(2000)).toBe("2 vCPU");
    expect(mebibytes(64)).toBe("64 MiB");
    expect(mebibytes(1536)).toBe("1.5 GiB");
    expect(bytes(118 * 1024 * 1024)).toBe("118 MiB");
  });

  it("says how long ago from a given now", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect(ago("2026-12-01T11:59:57Z", now)).toBe("3 s ago");
    expect(ago("2026-12-01T11:00:00Z", now)).toBe("1 h ago");
    expect(ago(null, now)).toBe("never");
  });

  it("shows money exactly as the API wrote it, with at least cents", () => {
    expect(money("1234.5")).toBe("$1,234.50");
    expect(money("0.0000112")).toBe("$0.0000112");
    expect(money("25", "EUR")).toBe("EUR 25.00");
  });
});
