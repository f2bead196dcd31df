import { Page } from "../../ui/components";

export default function TopologyPage() {
  return (
    <Page title="Topology">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
