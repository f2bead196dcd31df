import { Page } from "../../ui/components";

export default function UsagePage() {
  return (
    <Page title="Usage">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
