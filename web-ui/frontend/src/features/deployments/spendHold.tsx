import { useState } from "react";
import { data, type Schemas } from "../../api/controlApi";
import { useSession } from "../../app/session";
import { useLiveEvents } from "../../live/useLive";
import { dateTime, money } from "../../ui/format";

type SpendHold = Schemas["SpendHold"];

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

/** Says that spending is on hold, what it means for deployments, and until when. */
export function SpendHoldBanner({ hold }: { hold: SpendHold | undefined }) {
  if (!hold) return null;
  return (
    <div className="alert alert-warn" role="status">
      <strong>Spending is on hold.</strong> Your hard spend limit of {money(hold.limit, hold.currency)} is reached (
      {money(hold.spend, hold.currency)} spent in the period ending {dateTime(hold.periodEnd)}). Your running deployments
      were stopped; creating, starting, restarting and scaling up are refused until the hold is lifted. Stopping, scaling
      down and deleting still work.
    </div>
  );
}
