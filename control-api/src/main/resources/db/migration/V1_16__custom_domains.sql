-- Hostnames tenants bring for their deployments, with the certificate the edge serves for each. The private key is
-- sealed (SecretBox, bound to the hostname and the deployment); the certificate is public. A hostname is one
-- deployment's in the whole fleet: the primary key makes two claims race to one winner.
CREATE TABLE custom_domain (
    hostname            TEXT        PRIMARY KEY,
    tenant              TEXT        NOT NULL,
    deployment_id       UUID        NOT NULL REFERENCES deployment (id),
    certificate_pem     TEXT        NOT NULL,
    private_key_sealed  TEXT        NOT NULL,
    certificate_sha256  TEXT        NOT NULL,
    issuer              TEXT        NOT NULL,
    not_after           TIMESTAMPTZ NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX custom_domain_deployment ON custom_domain (deployment_id);
