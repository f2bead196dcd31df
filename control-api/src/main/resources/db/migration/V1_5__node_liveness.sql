-- Liveness is decided here, where heartbeats arrive (NodeLivenessMonitor), and only its transitions are published
-- (node.status-changed). liveness_changed_at also counts the LOST marks of the last minute for the rate limit.
ALTER TABLE node ADD COLUMN liveness TEXT NOT NULL DEFAULT 'READY' CHECK (liveness IN ('READY', 'LOST'));
ALTER TABLE node ADD COLUMN liveness_changed_at TIMESTAMPTZ;
CREATE INDEX node_lost_recently ON node (liveness_changed_at) WHERE liveness = 'LOST';
