-- Nodes join with a join token an operator made, not with an identity-provider client per node. Only the SHA-256 of
-- each secret is kept (256 random bits: a slow hash adds nothing).
CREATE TABLE node_join_token (
    id            UUID        PRIMARY KEY,
    secret_sha256 TEXT        NOT NULL UNIQUE,
    description   TEXT,
    -- stamped on every node that enrolls with it; a node's registration cannot drop or change them
    labels        JSONB       NOT NULL,
    uses          INT         NOT NULL CHECK (uses > 0),
    -- enrollment takes one with a conditional UPDATE (uses_left > 0), so concurrent enrollments never exceed uses
    uses_left     INT         NOT NULL CHECK (uses_left >= 0),
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);

-- The long-lived credential control-api issues a node at enrollment. At most one active per node name; revoked ones
-- stay for the audit trail.
CREATE TABLE node_credential (
    id            UUID        PRIMARY KEY,
    node_name     TEXT        NOT NULL,
    secret_sha256 TEXT        NOT NULL UNIQUE,
    labels        JSONB       NOT NULL,
    join_token_id UUID        NOT NULL REFERENCES node_join_token (id),
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT
);
CREATE UNIQUE INDEX node_credential_active ON node_credential (node_name) WHERE revoked_at IS NULL;

-- An operator removed the node (DELETE /v1/nodes/{name}): gone from the fleet views until it enrolls and registers
-- again. The row stays so its liveness (LOST) and a later READY keep one owner.
ALTER TABLE node ADD COLUMN removed_at TIMESTAMPTZ;
