import { Page } from "../../ui/components";

export default function NodesPage() {
  return (
    <Page title="Nodes">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
