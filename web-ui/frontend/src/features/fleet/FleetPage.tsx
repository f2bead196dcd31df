import { Page } from "../../ui/components";

export default function FleetPage() {
  return (
    <Page title="Fleet">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
