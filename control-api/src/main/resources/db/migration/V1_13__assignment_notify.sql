-- Assignment notifications: a change of what a node is to run wakes that node's watch stream
-- (GET .../assignments/watch) on every control-api replica, whichever code path made it. The trigger names the node
-- (old and new on a move); PostgreSQL delivers a notification at commit and folds identical ones of a transaction into
-- one, so a transaction that places many replicas on a node wakes it once. The payload is a node name, nothing secret.
-- What defines an assignment (NodeService.assignments): the node, the desired state, the revision run, and whether
-- the instance ended (an ended one is listed as ENDED while its output is kept). A deployment's deletion reaches the
-- list through its instances' desired state.
CREATE FUNCTION nanofleet_assignment_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.node_name IS NOT NULL THEN
            PERFORM pg_notify('nanofleet_assignments', NEW.node_name);
        END IF;
        RETURN NULL;
    END IF;
    IF OLD.node_name IS DISTINCT FROM NEW.node_name
            OR OLD.desired_state IS DISTINCT FROM NEW.desired_state
            OR OLD.revision IS DISTINCT FROM NEW.revision
            OR (OLD.state IN ('STOPPED', 'EXITED', 'FAILED')) <> (NEW.state IN ('STOPPED', 'EXITED', 'FAILED')) THEN
        IF OLD.node_name IS NOT NULL THEN
            PERFORM pg_notify('nanofleet_assignments', OLD.node_name);
        END IF;
        IF NEW.node_name IS NOT NULL AND NEW.node_name IS DISTINCT FROM OLD.node_name THEN
            PERFORM pg_notify('nanofleet_assignments', NEW.node_name);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER instance_assignment_changed
    AFTER INSERT OR UPDATE OF node_name, desired_state, revision, state ON instance
    FOR EACH ROW EXECUTE FUNCTION nanofleet_assignment_changed();

-- The start timeline of an instance (GET /v1/deployments/{id}: instances[].timeline): accepted when the tenant asked
-- for the replica, relayed when the outbox published that, placed by the scheduler, then the node's own times
-- (delivered: first seen in its assignment list, pulled: image ready, started: process running, by the node's clock)
-- and reported when control-api stored RUNNING. A move to another node starts the placement part over.
ALTER TABLE instance
    ADD COLUMN accepted_at  TIMESTAMPTZ,
    ADD COLUMN relayed_at   TIMESTAMPTZ,
    ADD COLUMN placed_at    TIMESTAMPTZ,
    ADD COLUMN delivered_at TIMESTAMPTZ,
    ADD COLUMN pulled_at    TIMESTAMPTZ,
    ADD COLUMN started_at   TIMESTAMPTZ,
    ADD COLUMN reported_at  TIMESTAMPTZ;
