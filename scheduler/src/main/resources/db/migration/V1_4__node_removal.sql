-- A removed node's row is deleted (node.removed) while the ended replicas that ran there keep its name as history:
-- they hold nothing, and a node enrolling again under that name is a new row.
ALTER TABLE placements DROP CONSTRAINT IF EXISTS placements_node_name_fkey;
