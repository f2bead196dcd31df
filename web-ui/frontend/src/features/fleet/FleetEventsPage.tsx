import { useMemo, useState } from "react";
import { data } from "../../api/controlApi";
import { errorFrom } from "../../api/problem";
import { useSession, type Session } from "../../app/session";
import type { EventEntry } from "../../live/eventStream";
import { useLiveEvents } from "../../live/useLive";
import { Empty, ErrorAlert, Field, Loading, Page } from "../../ui/components";
import { ago, dateTime } from "../../ui/format";
import { useResource } from "../../ui/useResource";
import { describeEvent, EVENT_TYPES, FLEET_ONLY, matchesFilter, mergeNewestFirst, subjectOf, type EventFilter } from "./eventShape";
import { useNow } from "./useFleet";
import "./fleet.css";

const WINDOWS = [
  ["15m", "Last 15 minutes", 15 * 60_000],
  ["1h", "Last hour", 3600_000],
  ["6h", "Last 6 hours", 6 * 3600_000],
  ["24h", "Last 24 hours", 24 * 3600_000],
  ["7d", "Last 7 days", 7 * 24 * 3600_000],
] as const;
type WindowKey = (typeof WINDOWS)[number][0];

const PAGE_SIZE = 500;
const MAX_PAGES = 10;
const LIVE_KEPT = 5000;
const SHOWN_STEP = 200;

interface Loaded {
  events: EventEntry[];
  /** false when the window held more than MAX_PAGES pages: the newest of it were not loaded */
  complete: boolean;
}

/** The window's events (oldest first, a page at a time, as the API gives them), at most MAX_PAGES pages. */
async function loadWindow(api: Session["api"], since: string, filter: EventFilter): Promise<Loaded> {
  const events: EventEntry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = {
      since,
      limit: PAGE_SIZE,
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.tenant && filter.tenant !== FLEET_ONLY ? { tenant: filter.tenant } : {}),
      ...(cursor ? { cursor } : {}),
    };
    const { data: body, error, response } = await api.GET("/v1/events", { params: { query } });
    if (!response.ok || error !== undefined || !body) throw await errorFrom(response, error);
    events.push(...(body as EventEntry[])); // JSON: the text/event-stream alternative is only for follow=true
    cursor = response.headers.get("Nanofleet-Next-Cursor") ?? undefined;
    if (!cursor) return { events, complete: true };
  }
  return { events, complete: false };
}

export default function FleetEventsPage() {
  const { api } = useSession();
  const [filter, setFilter] = useState<EventFilter>({ type: "", tenant: "" });
  const [windowKey, setWindowKey] = useState<WindowKey>("1h");
  const [shown, setShown] = useState(SHOWN_STEP);
  const [live, setLive] = useState<EventEntry[]>([]);
  const now = useNow();

  const since = useMemo(
    () => new Date(Date.now() - WINDOWS.find(([key]) => key === windowKey)![2]).toISOString(),
    // a new window (or filter) is a new starting point, measured from the moment it is chosen
    [windowKey, filter],
  );
  const loaded = useResource(() => loadWindow(api, since, filter), [api, since, filter]);
  const tenants = useResource(async () => (await data(api.GET("/v1/tenants"))).map((t) => t.id).sort(), [api]);
  // every live event of the one shared stream, newest kept; filtered for display below
  useLiveEvents(
    () => true,
    (event) => setLive((list) => [event, ...list].slice(0, LIVE_KEPT)),
  );

  const events = useMemo(
    () => mergeNewestFirst(loaded.data?.events ?? [], live.filter((e) => Date.parse(e.time) >= Date.parse(since))).filter((e) => matchesFilter(e, filter)),
    [loaded.data, live, filter, since],
  );
  const tenantOptions = useMemo(
    () => [...new Set([...(tenants.data ?? []), ...events.map((e) => e.tenant).filter((t): t is string => Boolean(t))])].sort(),
    [tenants.data, events],
  );

  return (
    <Page title="Fleet events">
      <p className="muted">What happened across the fleet, newest first; new events appear at the top as they happen.</p>
      <div className="fleet-filters" role="group" aria-label="Filter events">
        <Field label="Event type">
          {({ id }) => (
            <select id={id} value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value })}>
              <option value="">Any type</option>
              {EVENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tenant">
          {({ id }) => (
            <select id={id} value={filter.tenant} onChange={(e) => setFilter({ ...filter, tenant: e.target.value })}>
              <option value="">Any tenant</option>
              <option value={FLEET_ONLY}>No tenant (node events)</option>
              {tenantOptions.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Since">
          {({ id }) => (
            <select id={id} value={windowKey} onChange={(e) => setWindowKey(e.target.value as WindowKey)}>
              {WINDOWS.map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorAlert error={loaded.error} title="Could not load the events" />
      {loaded.data && !loaded.data.complete && (
        <p className="alert alert-warn">
          This window holds more than {PAGE_SIZE * MAX_PAGES} events: the oldest {PAGE_SIZE * MAX_PAGES} were loaded and later ones are missing until they
          arrive live. Choose a shorter window or a type or tenant.
        </p>
      )}
      {!loaded.data && loaded.loading ? (
        <Loading what="the events" />
      ) : events.length === 0 ? (
        <Empty>No event in this window{filter.type || filter.tenant ? " matches these filters" : ""}.</Empty>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {events.length} event{events.length === 1 ? "" : "s"}
            {events.length > shown ? `, the newest ${shown} shown` : ""}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Event list, newest first">
            <table className="stack">
              <caption className="visually-hidden">Fleet events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Type</th>
                  <th scope="col">Tenant</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {events.slice(0, shown).map((e) => {
                  const subject = subjectOf(e);
                  return (
                    <tr key={e.id}>
                      <td data-label="When" title={dateTime(e.time)} className="nowrap">
                        {ago(e.time, now)}
                      </td>
                      <td data-label="Type">
                        <span className="event-type">{e.type}</span>
                      </td>
                      <td data-label="Tenant">{e.tenant ?? <span className="muted">fleet</span>}</td>
                      <td data-label="About" title={subject?.title}>
                        {subject?.text ?? ""}
                      </td>
                      <td data-label="Details" className="reason">
                        {describeEvent(e)}
                      </td>
                      <td data-label="By">{e.actor ?? <span className="muted">platform</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {events.length > shown && (
            <button type="button" className="button" onClick={() => setShown(shown + SHOWN_STEP)}>
              Show {Math.min(SHOWN_STEP, events.length - shown)} older events
            </button>
          )}
        </>
      )}
    </Page>
  );
}
