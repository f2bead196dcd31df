import { useEffect } from "react";
import { useLocation } from "react-router";
import { useSession } from "../../app/session";
import type { EventEntry } from "../../live/eventStream";
import { Page } from "../../ui/components";
import { useReloadOn, useResource } from "../../ui/useResource";
import { loadForecast, loadSpendLimit, loadUsage } from "./billingCalls";
import { InvoicesSection } from "./InvoicesSection";
import { SpendHoldBanner } from "../../ui/SpendHoldBanner";
import { holdFromStatus } from "./spendHoldStatus";
import { SpendLimitSection } from "./SpendLimitSection";
import { PeriodCards, UsageBreakdown } from "./UsageOverview";
import "./billing.css";

/**
 * What changes what the tenant spends: replicas starting, stopping, moving or becoming unschedulable. Billing's own
 * events are not on the portal's stream (it carries control-api's event log), so these are the cue to read again.
 */
export function spendsDifferently(event: EventEntry): boolean {
  return event.type === "instance.state-changed" || event.type === "instance.placed" || event.type === "instance.unschedulable";
}

/** Billing reads the same facts from Kafka a moment later: wait a few seconds so one reload covers a burst. */
export const BILLING_SETTLE_MS = 5000;

export default function UsagePage() {
  const { billing, me } = useSession();
  const usage = useResource(() => loadUsage(billing), [billing]);
  const forecast = useResource(() => loadForecast(billing), [billing]);
  const spendLimit = useResource(() => loadSpendLimit(billing), [billing]);
  useReloadOn(usage, spendsDifferently, BILLING_SETTLE_MS);
  useReloadOn(forecast, spendsDifferently, BILLING_SETTLE_MS);
  useReloadOn(spendLimit, spendsDifferently, BILLING_SETTLE_MS);

  // /usage#spend-limit (the hold banner's link): the section exists once the status is here
  const { hash } = useLocation();
  const statusLoaded = Boolean(spendLimit.data);
  useEffect(() => {
    if (hash === "#spend-limit" && statusLoaded) document.getElementById("spend-limit")?.focus();
  }, [hash, statusLoaded]);

  // me is read at sign-in; billing's status is read now and again, so once it is here it says whether a hold is on
  const status = spendLimit.data;
  const hold = status ? (status.heldSince ? (me.spendHold ?? holdFromStatus(status)) : undefined) : me.spendHold;

  return (
    <Page title="Usage & billing">
      <SpendHoldBanner hold={hold} />
      <section aria-labelledby="this-period" className="billing-section">
        <h2 id="this-period">This period</h2>
        <PeriodCards usage={usage} forecast={forecast} />
      </section>
      <UsageBreakdown usage={usage} />
      <SpendLimitSection status={spendLimit} currency={usage.data?.currency ?? forecast.data?.currency} />
      <InvoicesSection />
    </Page>
  );
}
