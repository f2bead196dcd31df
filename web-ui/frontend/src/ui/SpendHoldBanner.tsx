import { useId, useState } from "react";
import { Link } from "react-router";
import { data, type Schemas } from "../api/controlApi";
import { useSession } from "../app/session";
import { useLiveEvents } from "../live/useLive";
import { dateTime, money } from "./format";

export type SpendHold = Schemas["SpendHold"];

/**
 * The tenant's spend hold: from the session's /v1/me at first, then read again from /v1/me when billing's
 * spend-limit events arrive on the live stream (a hold placed or lifted while the page is open shows without a reload).
 */
export function useSpendHold(): SpendHold | undefined {
  const { me, api } = useSession();
  const [hold, setHold] = useState<SpendHold | undefined>(me.spendHold);
  useLiveEvents(
    (e) => e.type === "billing.spend-limit-reached" || e.type === "billing.spend-limit-lifted",
    () => {
      data(api.GET("/v1/me")).then(
        (fresh) => setHold(fresh.spendHold),
        () => undefined, // the banner keeps what it knew; the next event tries again
      );
    },
  );
  return hold;
}

/**
 * The tenant's hard spend limit is reached: what that means for its deployments and how it ends. Shown wherever the
 * API reports the hold (me, the tenant's usage, billing's spend-limit status); `linkToLimit` adds a link to the
 * spend-limit form.
 */
export function SpendHoldBanner({ hold, linkToLimit = false }: { hold: SpendHold | undefined; linkToLimit?: boolean }) {
  const titleId = useId();
  if (!hold) return null;
  return (
    <section className="alert alert-error spend-hold" aria-labelledby={titleId} aria-live="polite">
      <h2 id={titleId} className="spend-hold-title">
        Spending is on hold
      </h2>
      <p>
        Your hard spend limit of <strong>{money(hold.limit, hold.currency)}</strong> was reached on {dateTime(hold.since)}{" "}
        (spent this period: {money(hold.spend, hold.currency)}).
      </p>
      <ul>
        <li>Your running deployments were stopped. Their specs, revisions and logs are kept.</li>
        <li>Creating, starting, restarting or scaling up deployments is refused until you raise or remove the limit, or
          the period ends on {dateTime(hold.periodEnd)}.</li>
        <li>Stopping, scaling down and deleting deployments still work.</li>
        <li>Stopped deployments stay stopped after the hold is lifted: start them again yourself.</li>
      </ul>
      {linkToLimit && (
        <p>
          <Link to="/usage#spend-limit">Change the spend limit</Link>
        </p>
      )}
    </section>
  );
}
