import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, NavLink, Route, Routes } from "react-router";
import { useStreamStatus } from "../live/useLive";
import { Loading } from "../ui/components";
import { useSession } from "./session";

// Each feature is its own chunk: the first view downloads only what it shows (charts and the terminal come later).
const DeploymentsPage = lazy(() => import("../features/deployments/DeploymentsPage"));
const CreateDeploymentPage = lazy(() => import("../features/deployments/CreateDeploymentPage"));
const DeploymentPage = lazy(() => import("../features/deployments/DeploymentPage"));
const UsagePage = lazy(() => import("../features/usage/UsagePage"));
const TokensPage = lazy(() => import("../features/tokens/TokensPage"));
const QuotasPage = lazy(() => import("../features/tokens/QuotasPage"));
const FleetPage = lazy(() => import("../features/fleet/FleetPage"));
const TopologyPage = lazy(() => import("../features/fleet/TopologyPage"));
const PendingPage = lazy(() => import("../features/fleet/PendingPage"));
const FleetEventsPage = lazy(() => import("../features/fleet/FleetEventsPage"));
const NodesPage = lazy(() => import("../features/nodes/NodesPage"));
const NodePage = lazy(() => import("../features/nodes/NodePage"));
const TenantsPage = lazy(() => import("../features/tenants/TenantsPage"));
const RevenuePage = lazy(() => import("../features/tenants/RevenuePage"));

const TENANT_LINKS = [
  ["/deployments", "Deployments"],
  ["/usage", "Usage & billing"],
  ["/tokens", "API tokens"],
  ["/quotas", "Quotas"],
] as const;

const OPERATOR_LINKS = [
  ["/fleet", "Fleet"],
  ["/fleet/nodes", "Nodes"],
  ["/fleet/topology", "Topology"],
  ["/fleet/pending", "Pending"],
  ["/fleet/events", "Events"],
  ["/fleet/tenants", "Tenants"],
  ["/fleet/revenue", "Revenue"],
] as const;

export function App() {
  const { me } = useSession();
  const tenant = Boolean(me.tenant);
  return (
    <BrowserRouter>
      <Shell>
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<Navigate to={tenant ? "/deployments" : "/fleet"} replace />} />
            {tenant && (
              <>
                <Route path="/deployments" element={<DeploymentsPage />} />
                <Route path="/deployments/new" element={<CreateDeploymentPage />} />
                <Route path="/deployments/:id" element={<DeploymentPage />} />
                <Route path="/usage" element={<UsagePage />} />
                <Route path="/tokens" element={<TokensPage />} />
                <Route path="/quotas" element={<QuotasPage />} />
              </>
            )}
            {me.operator && (
              <>
                <Route path="/fleet" element={<FleetPage />} />
                <Route path="/fleet/nodes" element={<NodesPage />} />
                <Route path="/fleet/nodes/:name" element={<NodePage />} />
                <Route path="/fleet/topology" element={<TopologyPage />} />
                <Route path="/fleet/pending" element={<PendingPage />} />
                <Route path="/fleet/events" element={<FleetEventsPage />} />
                <Route path="/fleet/tenants" element={<TenantsPage />} />
                <Route path="/fleet/revenue" element={<RevenuePage />} />
              </>
            )}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Shell>
    </BrowserRouter>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const links = [...(me.tenant ? TENANT_LINKS : []), ...(me.operator ? OPERATOR_LINKS : [])];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Nanofleet</span>
        <nav aria-label="Main">
          <ul>
            {links.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} end={to === "/fleet"}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <LiveIndicator />
          <span className="muted">
            {me.subject.replace(/^user:/, "")}
            {me.tenant ? ` · ${me.tenant}` : ""}
            {me.operator ? " · operator" : ""}
          </span>
          <button type="button" className="button small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function LiveIndicator() {
  const status = useStreamStatus();
  return (
    <span className={`live live-${status}`} role="status" aria-live="polite">
      {status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Reconnecting…"}
    </span>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not here</h1>
      <p>
        There is no page at this address for you. <a href="/">Go to the start page</a>.
      </p>
    </section>
  );
}
