-- What a node running the node OS says it booted: the image version and the root slot (a or b). Null for a host that
-- does not run the node OS (or an agent older than the fields): such a node cannot be upgraded through the API.
ALTER TABLE node ADD COLUMN os_version TEXT;
ALTER TABLE node ADD COLUMN boot_slot TEXT;

-- The node's latest OS upgrade (POST /v1/nodes/{name}/upgrade), one row per node: a new request replaces a finished
-- one. previous_scheduling is what an operator had set before the upgrade drained the node; it is put back once the
-- node comes up again (on the new version or, after a fallback, on the old one).
CREATE TABLE node_upgrade (
    node_name           TEXT        PRIMARY KEY,
    version             TEXT        NOT NULL,
    from_version        TEXT        NOT NULL,
    state               TEXT        NOT NULL CHECK (state IN ('REQUESTED', 'INSTALLING', 'DRAINING', 'REBOOTING',
                                                              'SUCCEEDED', 'ROLLED_BACK', 'FAILED')),
    detail              TEXT,
    previous_scheduling TEXT,
    requested_by        TEXT        NOT NULL,
    requested_at        TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
