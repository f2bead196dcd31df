import { createContext, useContext, type ReactNode } from "react";
import type { BillingApi } from "../api/billingApi";
import type { ControlApi, Me } from "../api/controlApi";
import type { EventStream } from "../live/eventStream";
import type { PortalConfig } from "./config";

/** What every view needs: who is signed in, the API clients and the one live event stream. */
export interface Session {
  config: PortalConfig;
  me: Me;
  api: ControlApi;
  billing: BillingApi;
  /** A current access token, for the calls openapi-fetch does not make (streams, downloads, other services). */
  token: () => Promise<string>;
  events: EventStream;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a SessionProvider");
  return session;
}
