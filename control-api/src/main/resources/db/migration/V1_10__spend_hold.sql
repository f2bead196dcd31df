-- A tenant held by its hard spend limit (billing.spend-limit-reached): its deployments were stopped and it may not spend
-- more until billing lifts the hold (billing.spend-limit-lifted). spend_held_since is NULL while the tenant is not held;
-- the figures are those of the reached event, as billing sent them (exact decimals, never floating point).
ALTER TABLE tenant
    ADD COLUMN spend_held_since   TIMESTAMPTZ,
    ADD COLUMN spend_limit        NUMERIC CHECK (spend_limit >= 0),
    ADD COLUMN spend_amount       NUMERIC CHECK (spend_amount >= 0),
    ADD COLUMN spend_currency     TEXT,
    ADD COLUMN spend_period_end   TIMESTAMPTZ,
    -- the time of the newest limit event applied (reached or lifted, held or not): an older one arriving late (a replay,
    -- a redriven dead letter) is stale and changes nothing, so a late lift cannot clear a newer hold
    ADD COLUMN spend_decided_at   TIMESTAMPTZ,
    ADD CONSTRAINT tenant_spend_hold_complete CHECK (
        (spend_held_since IS NULL AND spend_limit IS NULL AND spend_amount IS NULL AND spend_currency IS NULL
            AND spend_period_end IS NULL)
        OR (spend_held_since IS NOT NULL AND spend_limit IS NOT NULL AND spend_amount IS NOT NULL
            AND spend_currency IS NOT NULL AND spend_period_end IS NOT NULL AND spend_decided_at IS NOT NULL));
