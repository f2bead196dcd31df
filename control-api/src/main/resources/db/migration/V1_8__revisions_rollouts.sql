-- Revisions: every change to what a deployment runs is a numbered, immutable snapshot of its spec (secrets and the
-- registry password stay sealed in it, as on the deployment row). The deployment row holds the spec of its current
-- revision; each instance names the revision it runs, and its node gets that revision's spec.
CREATE TABLE deployment_revision (
    deployment_id UUID        NOT NULL REFERENCES deployment (id),
    number        INT         NOT NULL CHECK (number > 0),
    spec          JSONB       NOT NULL,
    changed       JSONB       NOT NULL DEFAULT '[]',
    cause         TEXT        NOT NULL,
    rollback_of   INT,
    actor         TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (deployment_id, number)
);

ALTER TABLE deployment ADD COLUMN revision INT NOT NULL DEFAULT 1;
ALTER TABLE deployment ADD COLUMN health_check JSONB;
ALTER TABLE deployment ADD COLUMN rollout_policy JSONB;
ALTER TABLE deployment ADD COLUMN stopped_at TIMESTAMPTZ;
-- the rollout of the current revision: its state, when it started and last progressed, why it failed
ALTER TABLE deployment ADD COLUMN rollout_state TEXT;
ALTER TABLE deployment ADD COLUMN rollout_reason TEXT;
ALTER TABLE deployment ADD COLUMN rollout_started_at TIMESTAMPTZ;
ALTER TABLE deployment ADD COLUMN rollout_progressed_at TIMESTAMPTZ;
ALTER TABLE deployment ADD COLUMN rollout_ready INT NOT NULL DEFAULT 0;
-- the last revision whose rollout completed: where an automatic rollback returns
ALTER TABLE deployment ADD COLUMN last_complete_revision INT;

ALTER TABLE instance ADD COLUMN revision INT NOT NULL DEFAULT 1;
ALTER TABLE instance ADD COLUMN health TEXT;
ALTER TABLE instance ADD COLUMN health_reason TEXT;
ALTER TABLE instance ADD COLUMN running_since TIMESTAMPTZ;

-- deployments made before revisions existed: their spec is revision 1, rolled out
INSERT INTO deployment_revision (deployment_id, number, spec, changed, cause, created_at)
SELECT id, 1, jsonb_build_object('image', image, 'command', command, 'env', env, 'secretsSealed', secrets_sealed,
        'registryUsername', registry_username, 'registryPasswordSealed', registry_password_sealed,
        'cpuMillis', cpu_millis, 'memoryMiB', memory_mib, 'isolation', isolation, 'restartMode', restart_mode,
        'restartMaxRetries', restart_max_retries, 'ports', ports, 'healthCheck', NULL),
       '[]', 'create', created_at
FROM deployment;
UPDATE deployment SET rollout_state = 'COMPLETE', last_complete_revision = 1;
