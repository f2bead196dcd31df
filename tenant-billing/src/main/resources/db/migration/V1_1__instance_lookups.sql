-- Whose an instance is, by its id alone: operators may look at any tenant's instance, and V1_0's indexes lead with the
-- tenant. Every instance has a fact from the scheduler (placed, or unschedulable) before its node reports on it, so
-- indexing only those facts answers the question while keeping the cost off the nodes' many state changes and
-- samples (README "Design choices": an index of usage_sample by instance cost 14% of sample ingest).
CREATE INDEX meter_event_scheduled_instance ON meter_event (instance_id) WHERE kind IN ('PLACED', 'UNSCHEDULABLE');
