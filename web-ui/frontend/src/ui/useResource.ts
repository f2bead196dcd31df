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

/** A second reload some time after certain events, for data another writer applies a moment after its event. */
export interface Confirm {
  when: (event: EventEntry) => boolean;
  afterMs: number;
}

/**
 * Reloads a resource when live events about it arrive: at most once per `settleMs`, so a burst of state changes (a
 * rollout of ten replicas) costs one request, not ten. This is how views stay live without polling. With `confirm`,
 * an event it names also reloads once more `afterMs` later (the last such event counts): control-api's event log and
 * the row an event describes can be written by different consumers, so the first reload may come too early.
 */
export function useReloadOn(resource: Resource<unknown>, matches: (event: EventEntry) => boolean, settleMs = 250, confirm?: Confirm): void {
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const again = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveEvents(matches, (event) => {
    if (settle.current === undefined) {
      settle.current = setTimeout(() => {
        settle.current = undefined;
        resource.reload();
      }, settleMs);
    }
    if (confirm?.when(event)) {
      clearTimeout(again.current);
      again.current = setTimeout(() => {
        again.current = undefined;
        resource.reload();
      }, confirm.afterMs);
    }
  });
  useEffect(
    () => () => {
      clearTimeout(settle.current);
      clearTimeout(again.current);
    },
    [],
  );
}
