import { Page } from "../../ui/components";

export default function FleetEventsPage() {
  return (
    <Page title="Fleet Events">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
