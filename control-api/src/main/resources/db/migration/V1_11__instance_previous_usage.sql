-- The usage sample before an instance's last one (its time and cumulative CPU time), so the CPU it used over the last
-- sample interval can be told: the cumulative figure alone says nothing about now. Cleared with the last sample.
ALTER TABLE instance
    ADD COLUMN previous_usage_sampled_at TIMESTAMPTZ,
    ADD COLUMN previous_cpu_nanos        BIGINT;
