-- Every row a scheduler writes carries a version, so a scheduler whose in-memory view is stale (another instance
-- placed, moved or freed the replica meanwhile) changes no row: its guarded UPDATE or DELETE matches nothing, and it
-- re-reads the row and plans again. Node rows have had one since V1_0.
ALTER TABLE placements ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
