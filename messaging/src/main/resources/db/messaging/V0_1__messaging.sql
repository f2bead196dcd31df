-- Shared by every service that publishes or consumes events. Services add db/messaging to their Flyway locations.

-- Debezium's ExportedEvent shape: written in the same transaction as the change it announces.
CREATE TABLE outbox_event (
    seq            BIGSERIAL PRIMARY KEY,
    id             UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    type           TEXT        NOT NULL,
    payload        BYTEA       NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Event ids a consumer has applied, written in the same transaction as the effect: redelivery changes nothing.
CREATE TABLE processed_event (
    consumer       TEXT        NOT NULL,
    event_id       UUID        NOT NULL,
    processed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
