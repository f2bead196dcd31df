-- A node's status replaces the schedulable flag: READY takes work; CORDONED, DRAINING and LOST do not, and say why.
ALTER TABLE nodes ADD COLUMN status TEXT NOT NULL DEFAULT 'READY'
    CHECK (status IN ('READY', 'CORDONED', 'DRAINING', 'LOST'));
UPDATE nodes SET status = 'CORDONED' WHERE NOT schedulable;
ALTER TABLE nodes DROP COLUMN schedulable;
-- the lost-node check looks for ready or cordoned nodes whose heartbeat is older than the grace period
CREATE INDEX nodes_by_heartbeat ON nodes (last_heartbeat) WHERE status <> 'LOST';
