-- What an operator lets the scheduler do with a node (cordon, drain). Survives re-registration.
ALTER TABLE node ADD COLUMN scheduling TEXT NOT NULL DEFAULT 'SCHEDULABLE'
    CHECK (scheduling IN ('SCHEDULABLE', 'CORDONED', 'DRAINING'));
