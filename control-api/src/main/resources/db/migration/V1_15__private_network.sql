-- A tenant's private network across nodes (PrivateNetworks): control-api owns the allocation. Each tenant gets a VXLAN
-- network identifier unique in the fleet, each (tenant, node) pair that hosts the tenant's instances a /24 of the
-- configured private range, unique in the fleet, so the tenant's instances on different nodes can be routed to each
-- other. Allocations stay while the node is part of the fleet (an instance that comes back keeps its subnet).
CREATE TABLE tenant_private_network (
    tenant       TEXT        PRIMARY KEY,
    vni          INT         NOT NULL UNIQUE CHECK (vni BETWEEN 1 AND 16777215),
    allocated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE private_subnet (
    tenant       TEXT        NOT NULL,
    node_name    TEXT        NOT NULL,
    subnet       TEXT        NOT NULL UNIQUE,
    allocated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, node_name)
);
CREATE INDEX private_subnet_node ON private_subnet (node_name);

-- A replica entering or leaving its tenant's directory (<deployment>.<tenant>.internal: running, healthy or without
-- a check, with an address), or changing its address, changes the directory on every node that hosts the tenant, and
-- a replica's first address on a node is also how the tenant's other nodes learn of a new peer subnet: wake those
-- nodes' watch streams as V1_13 wakes the instance's own node. Only such changes wake them (a replica's other state
-- changes do not, nor do replicas that report no address), so a busy fleet is not woken for nothing.
CREATE FUNCTION nanofleet_in_private_directory(state TEXT, health TEXT, network JSONB) RETURNS BOOLEAN AS $$
    SELECT state = 'RUNNING' AND (health IS NULL OR health = 'HEALTHY') AND network ->> 'address' IS NOT NULL;
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION nanofleet_private_directory_changed() RETURNS trigger AS $$
DECLARE
    was_in BOOLEAN := nanofleet_in_private_directory(OLD.state, OLD.health, OLD.network);
    is_in BOOLEAN := nanofleet_in_private_directory(NEW.state, NEW.health, NEW.network);
BEGIN
    IF was_in IS DISTINCT FROM is_in
            OR (is_in AND OLD.network ->> 'address' IS DISTINCT FROM NEW.network ->> 'address') THEN
        PERFORM pg_notify('nanofleet_assignments', p.node_name)
        FROM private_subnet p
        WHERE p.tenant = (SELECT d.tenant FROM deployment d WHERE d.id = NEW.deployment_id)
          AND p.node_name IS DISTINCT FROM NEW.node_name;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER instance_private_directory_changed
    AFTER UPDATE OF state, health, network ON instance
    FOR EACH ROW EXECUTE FUNCTION nanofleet_private_directory_changed();
