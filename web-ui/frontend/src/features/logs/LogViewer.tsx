import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ApiError, errorFrom } from "../../api/problem";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../ui/components";
import { countMatches, highlight, LogLines } from "./logLines";
import "./logs.css";

/** Lines kept in memory; older ones are let go (and counted) while following a chatty replica. */
export const MAX_LINES = 5000;
const TAILS = [100, 500, 1000, 5000];

type Phase = "loading" | "following" | "paused" | "loaded" | "ended" | "failed";

/**
 * An instance's output (GET /v1/instances/{id}/logs, text/plain): the last `tail` lines, then, while following, what
 * it writes as it writes it (a streamed body read chunk by chunk, aborted when following stops, the instance changes
 * or the view goes). Search highlights and counts matches in the loaded lines; Download saves them as a .log file.
 */
export function LogViewer({ instanceId, name, initialFollow = true }: { instanceId: string; name: string; initialFollow?: boolean }) {
  const { api } = useSession();
  const ids = useId();
  const [tail, setTail] = useState(500);
  const [run, setRun] = useState({ follow: initialFollow, n: 0 });
  const [following, setFollowing] = useState(initialFollow);
  const [lines, setLines] = useState<readonly string[]>([]);
  const [dropped, setDropped] = useState(0);
  const [phase, setPhase] = useState<Phase>("loading");
  const [error, setError] = useState<unknown>();
  const [search, setSearch] = useState("");
  const [onlyMatching, setOnlyMatching] = useState(false);
  const stream = useRef<AbortController | undefined>(undefined);
  const view = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    stream.current = controller;
    const buffer = new LogLines(MAX_LINES);
    const publish = () => {
      setLines(buffer.lines().slice());
      setDropped(buffer.dropped());
    };
    setLines([]);
    setDropped(0);
    setError(undefined);
    setPhase("loading");
    stick.current = true;
    (async () => {
      const answer = await api.GET("/v1/instances/{id}/logs", {
        params: { path: { id: instanceId }, query: { tail, ...(run.follow ? { follow: true } : {}) } },
        parseAs: "stream",
        signal: controller.signal,
      });
      if (!answer.response.ok || !answer.data) throw await errorFrom(answer.response, answer.error);
      const reader = answer.data.getReader();
      controller.signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined));
      const decoder = new TextDecoder();
      if (run.follow) setPhase("following");
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (buffer.push(decoder.decode(value, { stream: true }))) publish();
      }
      if (controller.signal.aborted) return; // stopped on purpose: what was read stays as it is
      buffer.push(decoder.decode());
      buffer.end();
      publish();
      setPhase(run.follow ? "ended" : "loaded");
      setFollowing(false);
    })().catch((e: unknown) => {
      if (controller.signal.aborted) return;
      setError(e);
      setPhase("failed");
      setFollowing(false);
    });
    return () => controller.abort();
  }, [api, instanceId, tail, run]);

  const setFollow = (on: boolean) => {
    setFollowing(on);
    if (on) setRun((r) => ({ follow: true, n: r.n + 1 }));
    else {
      stream.current?.abort();
      setPhase("paused");
    }
  };

  // stay at the bottom while following, unless the reader scrolled up
  useLayoutEffect(() => {
    const pre = view.current;
    if (pre && stick.current) pre.scrollTop = pre.scrollHeight;
  }, [lines]);

  const needle = search.trim();
  const found = useMemo(() => countMatches(lines, needle), [lines, needle]);
  const shown = needle && onlyMatching ? lines.filter((l) => l.toLowerCase().includes(needle.toLowerCase())) : lines;

  const download = () => {
    const blob = new Blob([lines.join("\n") + (lines.length ? "\n" : "")], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name.replace(/[^\w.-]+/g, "-")}.log`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const problem = error instanceof ApiError ? error : undefined;
  const waiting = problem && (problem.status === 409 || problem.status === 410);

  return (
    <div className="log-viewer">
      <div className="log-controls">
        <label className="check">
          <input type="checkbox" checked={following} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <div className="field">
          <label htmlFor={`${ids}-tail`}>Last lines</label>
          <select id={`${ids}-tail`} value={tail} onChange={(e) => setTail(Number(e.target.value))}>
            {TAILS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-search`}>Search the log</label>
          <input id={`${ids}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-describedby={`${ids}-count`} />
        </div>
        <label className="check">
          <input type="checkbox" checked={onlyMatching} onChange={(e) => setOnlyMatching(e.target.checked)} disabled={!needle} /> Only matching lines
        </label>
        <button type="button" className="button small" onClick={() => setRun((r) => ({ follow: following || r.follow, n: r.n + 1 }))}>
          Reload log
        </button>
        <button type="button" className="button small" onClick={download} disabled={lines.length === 0}>
          Download log
        </button>
      </div>
      <div className="log-meta">
        <span role="status">{phaseText(phase, lines.length, dropped)}</span>
        <span id={`${ids}-count`} aria-live="polite">
          {needle ? `${found.matches} ${found.matches === 1 ? "match" : "matches"} in ${found.lines} ${found.lines === 1 ? "line" : "lines"}` : ""}
        </span>
      </div>
      {waiting ? (
        <p className="alert alert-info">{problem.problem.detail ?? problem.problem.title}</p>
      ) : (
        <ErrorAlert error={error} title="The log could not be read" />
      )}
      <pre
        ref={view}
        className="log-view"
        role="log"
        aria-live="off"
        aria-label={`Log of ${name}`}
        tabIndex={0}
        onScroll={(e) => {
          const pre = e.currentTarget;
          stick.current = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
        }}
      >
        {shown.map((line, index) => (
          <span key={index}>
            {needle
              ? highlight(line, needle).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))
              : line}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}

function phaseText(phase: Phase, count: number, dropped: number): string {
  const lines = `${count} ${count === 1 ? "line" : "lines"}${dropped ? ` (the oldest ${dropped} let go, at most ${MAX_LINES} are kept)` : ""}`;
  switch (phase) {
    case "loading":
      return "Loading the log…";
    case "following":
      return `Following: ${lines}; new lines appear as the replica writes them.`;
    case "paused":
      return `Paused: ${lines}.`;
    case "loaded":
      return `${lines}.`;
    case "ended":
      return `The stream ended (the replica ended or its node closed it): ${lines}.`;
    case "failed":
      return `${lines}.`;
  }
}
