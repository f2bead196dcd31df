-- tenant-billing's own database. Money is NUMERIC without a scale: amounts are exact and never rounded, but for an
-- invoice's amount due (rounded half-even to cents).

-- Every fact the meter read, keyed by its event's id: a redelivered or replayed event inserts nothing.
CREATE TABLE meter_event (
    id            uuid PRIMARY KEY,
    kind          text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    -- when Kafka received the event: decides which invoice learns of it
    published_at  timestamptz NOT NULL,
    -- null for node facts (a node lost or back), which concern every tenant's instances on the node
    tenant        text,
    deployment_id uuid,
    instance_id   uuid,
    node          text,
    state         text,
    isolation     text,
    cpu_millis    integer,
    memory_mib    integer
);
CREATE INDEX meter_event_by_tenant ON meter_event (tenant, occurred_at);
CREATE INDEX meter_event_node_facts ON meter_event (occurred_at) WHERE tenant IS NULL;

-- What nodes measured (not billed: reported beside what was reserved).
CREATE TABLE usage_sample (
    id            uuid PRIMARY KEY,
    tenant        text        NOT NULL,
    deployment_id uuid        NOT NULL,
    instance_id   uuid        NOT NULL,
    isolation     text        NOT NULL,
    sampled_at    timestamptz NOT NULL,
    cpu_nanos     bigint      NOT NULL,
    memory_bytes  bigint      NOT NULL
);
CREATE INDEX usage_sample_by_instance ON usage_sample (tenant, instance_id, sampled_at);

-- Deployment names for invoices and reports (names never change in control-api).
CREATE TABLE deployment_name (
    deployment_id uuid PRIMARY KEY,
    tenant        text NOT NULL,
    name          text NOT NULL
);

-- Final invoices: written once, never updated.
CREATE TABLE invoice (
    id            uuid PRIMARY KEY,
    tenant        text        NOT NULL,
    number        bigint      NOT NULL,
    period_start  timestamptz NOT NULL,
    period_end    timestamptz NOT NULL,
    currency      text        NOT NULL,
    total         numeric     NOT NULL,
    amount_due    numeric     NOT NULL,
    finalized_at  timestamptz NOT NULL,
    UNIQUE (tenant, number),
    UNIQUE (tenant, period_start)
);

CREATE TABLE invoice_line (
    invoice_id    uuid    NOT NULL REFERENCES invoice (id),
    position      integer NOT NULL,
    kind          text    NOT NULL,
    deployment_id uuid,
    isolation     text    NOT NULL,
    resource      text    NOT NULL,
    price_version text    NOT NULL,
    span_from     timestamptz NOT NULL,
    span_to       timestamptz NOT NULL,
    quantity      numeric NOT NULL,
    unit_price    numeric NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- Periods whose invoices are all final, for every tenant.
CREATE TABLE finalized_period (
    period_start timestamptz PRIMARY KEY,
    period_end   timestamptz NOT NULL
);

CREATE TABLE spend_limit (
    tenant      text PRIMARY KEY,
    amount      numeric     NOT NULL,
    currency    text        NOT NULL,
    thresholds  integer[]   NOT NULL,
    hard        boolean     NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL
);

-- Each threshold is announced once per period.
CREATE TABLE spend_alert (
    tenant       text        NOT NULL,
    period_start timestamptz NOT NULL,
    threshold    integer     NOT NULL,
    spend        numeric     NOT NULL,
    sent_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant, period_start, threshold)
);

-- A tenant stopped by its hard limit, until the limit is raised or removed or a new period begins.
CREATE TABLE spend_hold (
    tenant       text PRIMARY KEY,
    period_start timestamptz NOT NULL,
    since        timestamptz NOT NULL,
    limit_amount numeric     NOT NULL,
    spend        numeric     NOT NULL
);
