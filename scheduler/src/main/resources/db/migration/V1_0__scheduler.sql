-- The scheduler's view of the fleet. Used capacity is derived from placements and written in the same transaction;
-- "version" is the optimistic lock that keeps two schedulers from overbooking a node.
CREATE TABLE nodes (
    name                    TEXT        PRIMARY KEY,
    allocatable_cpu_millis  INT         NOT NULL CHECK (allocatable_cpu_millis >= 0),
    allocatable_memory_mib  INT         NOT NULL CHECK (allocatable_memory_mib >= 0),
    isolations              TEXT        NOT NULL,               -- comma-separated Isolation names
    labels                  TEXT        NOT NULL DEFAULT '{}',  -- JSON object of strings
    used_cpu_millis         INT         NOT NULL DEFAULT 0 CHECK (used_cpu_millis >= 0),
    used_memory_mib         INT         NOT NULL DEFAULT 0 CHECK (used_memory_mib >= 0),
    kernel_owner            TEXT,                               -- tenant of the shared-kernel instances here, if any
    schedulable             BOOLEAN     NOT NULL DEFAULT TRUE,
    registered_at           TIMESTAMPTZ NOT NULL,
    last_heartbeat          TIMESTAMPTZ NOT NULL,
    version                 BIGINT      NOT NULL DEFAULT 0
);

-- One row per replica. node_name is null while the replica is pending (unschedulable), and reason says why.
CREATE TABLE placements (
    instance_id             UUID        PRIMARY KEY,
    deployment_id           UUID        NOT NULL,
    ordinal                 INT         NOT NULL,
    tenant                  TEXT        NOT NULL,
    trust                   TEXT        NOT NULL,
    isolation               TEXT        NOT NULL,
    cpu_millis              INT         NOT NULL,
    memory_mib              INT         NOT NULL,
    -- what was taken from the node (VM overhead included), so freeing is exact even after the overhead is reconfigured
    charged_cpu_millis      INT,
    charged_memory_mib      INT,
    node_name               TEXT        REFERENCES nodes (name),
    reason                  TEXT,
    created_at              TIMESTAMPTZ NOT NULL,
    placed_at               TIMESTAMPTZ,
    CHECK ((node_name IS NULL) = (charged_cpu_millis IS NULL))
);

CREATE INDEX placements_by_deployment ON placements (deployment_id);
CREATE INDEX placements_by_node ON placements (node_name) WHERE node_name IS NOT NULL;
CREATE INDEX placements_pending ON placements (created_at, instance_id) WHERE node_name IS NULL;
