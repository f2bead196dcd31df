-- Restart policy and published ports of a deployment; restarts, network and last usage sample of an instance.
-- Deployments made before this version keep their old behaviour: never restarted, no port published.
ALTER TABLE deployment ADD COLUMN restart_mode TEXT NOT NULL DEFAULT 'NEVER'
    CHECK (restart_mode IN ('NEVER', 'ON_FAILURE', 'ALWAYS'));
ALTER TABLE deployment ADD COLUMN restart_max_retries INT NOT NULL DEFAULT 0 CHECK (restart_max_retries >= 0);
ALTER TABLE deployment ADD COLUMN ports JSONB NOT NULL DEFAULT '[]';

ALTER TABLE instance ADD COLUMN restarts INT NOT NULL DEFAULT 0;
ALTER TABLE instance ADD COLUMN network JSONB;
ALTER TABLE instance ADD COLUMN usage_sampled_at TIMESTAMPTZ;
ALTER TABLE instance ADD COLUMN cpu_nanos BIGINT;
ALTER TABLE instance ADD COLUMN memory_bytes BIGINT;
