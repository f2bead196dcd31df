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

-- A change of a replica's state, health or address changes its tenant's directory (<deployment>.<tenant>.internal)
-- on every node that hosts the tenant: wake those nodes' watch streams as V1_13 wakes the instance's own node.
CREATE FUNCTION nanofleet_private_directory_changed() RETURNS trigger AS $$
BEGIN
    IF OLD.state IS DISTINCT FROM NEW.state OR OLD.health IS DISTINCT FROM NEW.health
            OR OLD.network IS DISTINCT FROM NEW.network THEN
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

-- A new subnet is a new peer for the tenant's other nodes: wake them so they route to it without waiting for a resync.
CREATE FUNCTION nanofleet_private_subnet_added() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('nanofleet_assignments', p.node_name)
    FROM private_subnet p
    WHERE p.tenant = NEW.tenant AND p.node_name <> NEW.node_name;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER private_subnet_added
    AFTER INSERT ON private_subnet
    FOR EACH ROW EXECUTE FUNCTION nanofleet_private_subnet_added();
