-- A replica whose process ended (EXITED, FAILED, STOPPED) gives its capacity back but keeps its row and node: it is
-- charged again if the node reports it running once more. Capacity sums and moves skip ended replicas.
ALTER TABLE placements ADD COLUMN ended_at TIMESTAMPTZ;
DROP INDEX placements_by_node;
CREATE INDEX placements_by_node ON placements (node_name) WHERE node_name IS NOT NULL AND ended_at IS NULL;
