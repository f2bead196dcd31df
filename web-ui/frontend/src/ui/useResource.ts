import { useCallback, useEffect, useRef, useState } from "react";
import { useLiveEvents } from "../live/useLive";
import type { EventEntry } from "../live/eventStream";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads what a view shows and loads it again when asked; an answer that arrives after a newer request started is
 * dropped, so a slow response never overwrites a fresher one.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [run]);
  useEffect(() => {
    reload();
    return () => {
      generation.current++;
    };
  }, [reload]);
  return { ...state, reload };
}

/**
 * Reloads a resource when live events about it arrive: at most once per `settleMs`, so a burst of state changes (a
 * rollout of ten replicas) costs one request, not ten. This is how views stay live without polling.
 */
export function useReloadOn(resource: Resource<unknown>, matches: (event: EventEntry) => boolean, settleMs = 250): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveEvents(matches, () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      resource.reload();
    }, settleMs);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
}
