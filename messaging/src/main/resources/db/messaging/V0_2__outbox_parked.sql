-- Outbox rows Kafka would not take (over its message limit, or refused past bounded retries). The relay moves them
-- here so the rows after them are published; an operator reads the reason, fixes the cause and moves them back.
CREATE TABLE outbox_parked (
    seq            BIGINT      PRIMARY KEY,
    id             UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    type           TEXT        NOT NULL,
    payload        BYTEA       NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    parked_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason         TEXT        NOT NULL
);
