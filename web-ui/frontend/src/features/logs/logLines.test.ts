import { countMatches, highlight, LogLines } from "./logLines";

describe("log lines", () => {
  it("joins chunks that split a line and holds back the unfinished last line", () => {
    const log = new LogLines();
    log.push("first li");
    expect(log.lines()).toEqual([]);
    log.push("ne\r\nsecond\nthi");
    expect(log.lines()).toEqual(["first line", "second"]);
    log.end();
    expect(log.lines()).toEqual(["first line", "second", "thi"]);
  });

  it("keeps only the newest lines past the cap and counts what it let go", () => {
    const log = new LogLines(3);
    log.push("1\n2\n3\n4\n5\n");
    expect(log.lines()).toEqual(["3", "4", "5"]);
    expect(log.dropped()).toBe(2);
  });

  it("counts case-insensitive matches and the lines holding them", () => {
    expect(countMatches(["GET /a", "get /b get", "POST /c"], "get")).toEqual({ matches: 3, lines: 2 });
    expect(countMatches(["x"], "")).toEqual({ matches: 0, lines: 0 });
  });

  it("splits a line around its matches for highlighting", () => {
    expect(highlight("an Error and error", "error")).toEqual([
      { text: "an ", match: false },
      { text: "Error", match: true },
      { text: " and ", match: false },
      { text: "error", match: true },
    ]);
  });
});
