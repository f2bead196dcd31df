import { useEffect, useRef, useState } from "react";
import { useSession } from "../app/session";
import type { EventEntry, StreamStatus } from "./eventStream";

/** Calls handler for each live event that matches; the handler may change between renders without resubscribing. */
export function useLiveEvents(matches: (event: EventEntry) => boolean, handler: (event: EventEntry) => void): void {
  const { events } = useSession();
  const latest = useRef({ matches, handler });
  latest.current = { matches, handler };
  useEffect(
    () =>
      events.subscribe((event) => {
        if (latest.current.matches(event)) latest.current.handler(event);
      }),
    [events],
  );
}

/** The state of the shared connection, for the indicator in the header. */
export function useStreamStatus(): StreamStatus {
  const { events } = useSession();
  const [status, setStatus] = useState<StreamStatus>(events.status());
  useEffect(() => events.onStatus(setStatus), [events]);
  return status;
}
