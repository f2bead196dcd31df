-- The event log behind GET /v1/events: what the Kafka topics carried, as tenants and operators read it. Filled only by
-- the event-log consumer (group nanofleet.events.consumer-group), so it is rebuilt exactly by emptying it and replaying
-- the topics (control-api README, "Events").
--
-- seq is the order followers resume in (the SSE id). It must grow in commit order, or a follower that has seen seq 7
-- could miss a seq 6 committed after it: every insert takes one advisory transaction lock before it draws its seq and
-- keeps it until commit (EventLogStore), so seqs are drawn and committed one transaction after the other, even with
-- several control-api replicas. event_id is the idempotency key: a redelivered event inserts nothing.
CREATE TABLE event_log (
    seq            BIGSERIAL   PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    type           TEXT        NOT NULL,
    time           TIMESTAMPTZ NOT NULL,
    -- NULL: a fleet event (nodes) or an event whose tenant could not be known: only operators see it
    tenant         TEXT,
    deployment_id  UUID,
    instance_id    UUID,
    actor          TEXT,
    -- the payload as the tenant API spells it (enums in lower case)
    data           JSONB       NOT NULL,
    stored_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX event_log_tenant_seq ON event_log (tenant, seq);
CREATE INDEX event_log_deployment_seq ON event_log (deployment_id, seq) WHERE deployment_id IS NOT NULL;
CREATE INDEX event_log_time ON event_log (time);
