import { SseParser } from "./sseParser";

describe("SseParser", () => {
  it("reads an event split across chunks at any point", () => {
    const stream = 'id: 7\ndata: {"a":1}\n\nid: 8\ndata: {"b":2}\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(events.map((e) => [e.id, e.data])).toEqual([
        ["7", '{"a":1}'],
        ["8", '{"b":2}'],
      ]);
    }
  });

  it("joins data lines, ignores comments and accepts CRLF and CR line ends", () => {
    const parser = new SseParser();
    const events = parser.push(": keep-alive\r\nevent: note\r\ndata: one\rdata: two\r\n\r\n");
    expect(events).toEqual([{ id: undefined, event: "note", data: "one\ntwo" }]);
  });

  it("keeps the last id for a reconnect and does not dispatch an event without data", () => {
    const parser = new SseParser();
    expect(parser.push("id: 41\n\n")).toEqual([]);
    expect(parser.lastEventId()).toBe("41");
    expect(parser.push("data: x\n\n")).toEqual([{ id: "41", event: "message", data: "x" }]);
  });

  it("waits for the rest of a CRLF split between chunks", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("\n\r\n")).toEqual([{ id: undefined, event: "message", data: "a" }]);
  });
});
