-- control-api's own tables. The outbox and processed-event tables come from the messaging jar (db/messaging).

CREATE TABLE deployment (
    id             UUID        PRIMARY KEY,
    tenant         TEXT        NOT NULL,
    tenant_trust   TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    image          TEXT        NOT NULL,
    replicas       INT         NOT NULL CHECK (replicas > 0),
    cpu_millis     INT         NOT NULL CHECK (cpu_millis > 0),
    memory_mib     INT         NOT NULL CHECK (memory_mib > 0),
    isolation      TEXT        NOT NULL,
    command        JSONB,
    env            JSONB       NOT NULL DEFAULT '{}',
    created_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ,
    version        BIGINT      NOT NULL DEFAULT 0
);

-- a name is taken while its deployment lives; a deleted deployment frees it
CREATE UNIQUE INDEX deployment_tenant_name_live ON deployment (tenant, name) WHERE deleted_at IS NULL;
CREATE INDEX deployment_tenant ON deployment (tenant, created_at);

CREATE TABLE instance (
    id             UUID        PRIMARY KEY,
    deployment_id  UUID        NOT NULL REFERENCES deployment (id),
    ordinal        INT         NOT NULL,
    node_name      TEXT,
    isolation      TEXT,
    state          TEXT        NOT NULL,
    desired_state  TEXT        NOT NULL,
    reason         TEXT,
    exit_code      INT,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL DEFAULT 0,
    UNIQUE (deployment_id, ordinal)
);

CREATE INDEX instance_node ON instance (node_name) WHERE node_name IS NOT NULL;

CREATE TABLE node (
    name           TEXT        PRIMARY KEY,
    cpu_millis     INT         NOT NULL,
    memory_mib     INT         NOT NULL,
    isolations     JSONB       NOT NULL,
    labels         JSONB       NOT NULL DEFAULT '{}',
    agent_version  TEXT,
    registered_at  TIMESTAMPTZ NOT NULL,
    last_heartbeat TIMESTAMPTZ NOT NULL
);
