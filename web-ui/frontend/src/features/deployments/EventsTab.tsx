import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { data, type Deployment } from "../../api/controlApi";
import { useSession } from "../../app/session";
import type { EventEntry } from "../../live/eventStream";
import { useLiveEvents } from "../../live/useLive";
import { Empty, ErrorAlert, Loading } from "../../ui/components";
import { ago, dateTime } from "../../ui/format";
import { summarizeEvent } from "./eventSummary";
import { nextCursor } from "./paging";

const PAGE = 100;

/**
 * What happened to the deployment, oldest first as the log keeps it: the first page, more pages on request, and new
 * events appended from the shared live stream once every page is read (until then they arrive with the next page).
 */
export function EventsTab({ deployment }: { deployment: Deployment }) {
  const { api } = useSession();
  const id = deployment.id;
  const [events, setEvents] = useState<EventEntry[] | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | undefined) => {
      const mine = generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const answer = await api.GET("/v1/events", { params: { query: { deployment: id, limit: PAGE, ...(after ? { cursor: after } : {}) } } });
        // the operation also describes its SSE form (a string); without follow=true the answer is the JSON list
        const body: unknown = await data(Promise.resolve(answer));
        const page = Array.isArray(body) ? (body as EventEntry[]) : [];
        if (mine !== generation.current) return;
        setEvents((known) => merge(after ? (known ?? []) : [], page));
        setCursor(nextCursor(answer.response));
      } catch (e) {
        if (mine === generation.current) setError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api, id],
  );

  useEffect(() => {
    generation.current++;
    setEvents(undefined);
    setCursor(undefined);
    void load(undefined);
    return () => {
      generation.current++;
    };
  }, [load]);

  useLiveEvents(
    (e) => e.deploymentId === id,
    (e) => {
      if (cursor === undefined) setEvents((known) => (known ? merge(known, [e]) : known));
    },
  );

  const ordinals = useMemo(() => new Map(deployment.instances.map((i) => [i.id, i.ordinal])), [deployment.instances]);

  return (
    <>
      <h2 className="visually-hidden">Events</h2>
      <ErrorAlert error={error} title="The events could not be loaded" />
      {events === undefined ? (
        loading && <Loading what="the events" />
      ) : events.length === 0 ? (
        <Empty>No events yet.</Empty>
      ) : (
        <ol className="events" aria-label="Events, oldest first">
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.time} title={ago(e.time)}>
                {dateTime(e.time)}
              </time>
              <span className="type">
                {e.type}
                {e.actor && <span className="muted"> by {e.actor.replace(/^user:/, "")}</span>}
              </span>
              <span className="wrap">{summarizeEvent(e, ordinals)}</span>
            </li>
          ))}
        </ol>
      )}
      {cursor !== undefined && (
        <p>
          <button type="button" className="button" onClick={() => void load(cursor)} disabled={loading}>
            {loading ? "Loading…" : "Load later events"}
          </button>
        </p>
      )}
    </>
  );
}

/** Known events with new ones added, each once, in the log's order (ids are increasing digit strings). */
function merge(known: EventEntry[], more: EventEntry[]): EventEntry[] {
  const seen = new Set(known.map((e) => e.id));
  const added = more.filter((e) => !seen.has(e.id));
  if (added.length === 0) return known;
  return [...known, ...added].sort((a, b) => (a.id.length - b.id.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
