-- Tenants are control-api's own records: trust, state and quotas live here, not in the identity provider. Keycloak only
-- says which tenant a user belongs to (the token's tenant claim). A NULL quota means the configured default applies.
CREATE TABLE tenant (
    id                   TEXT        PRIMARY KEY,
    name                 TEXT        NOT NULL,
    trust                TEXT        NOT NULL,
    -- lowering to untrusted: new work is hardware-isolated at once, but trust reads untrusted only once no replica of
    -- the tenant holds a shared kernel any more
    trust_lowering       BOOLEAN     NOT NULL DEFAULT false,
    state                TEXT        NOT NULL,
    shared_cpu_millis    INT         CHECK (shared_cpu_millis >= 0),
    shared_memory_mib    INT         CHECK (shared_memory_mib >= 0),
    shared_instances     INT         CHECK (shared_instances >= 0),
    hardware_cpu_millis  INT         CHECK (hardware_cpu_millis >= 0),
    hardware_memory_mib  INT         CHECK (hardware_memory_mib >= 0),
    hardware_instances   INT         CHECK (hardware_instances >= 0),
    created_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT      NOT NULL DEFAULT 0
);

-- the demo tenants of the local platform's realm (users alice and bob)
INSERT INTO tenant (id, name, trust, state, created_at) VALUES
    ('acme', 'Acme', 'UNTRUSTED', 'ACTIVE', now()),
    ('globex', 'Globex', 'TRUSTED', 'ACTIVE', now());

-- API tokens: only the SHA-256 of the secret is kept (the secret is 256 random bits, so a slow hash adds nothing).
-- tenant is NULL for an operator token.
CREATE TABLE api_token (
    id            UUID        PRIMARY KEY,
    secret_sha256 TEXT        NOT NULL UNIQUE,
    tenant        TEXT        REFERENCES tenant (id),
    operator      BOOLEAN     NOT NULL,
    name          TEXT        NOT NULL,
    scopes        JSONB       NOT NULL,
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);

CREATE INDEX api_token_owner ON api_token (tenant, created_at);

-- a replica started to take another's place (a trust change moving shared replicas to hardware); the replaced one
-- stops when its replacement runs
ALTER TABLE instance ADD COLUMN replaces UUID;

-- A create retried with the same Idempotency-Key answers what the first one did, for 24 hours. The request's hash
-- tells a retry from a different request under a reused key.
CREATE TABLE idempotency_key (
    tenant         TEXT        NOT NULL,
    key            TEXT        NOT NULL,
    request_sha256 TEXT        NOT NULL,
    status         INT         NOT NULL,
    location       TEXT,
    body           TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, key)
);
