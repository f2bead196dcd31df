-- Plain TCP ports through the edge. A deployment's tcp_ports are the container ports of its ports the edge forwards as
-- raw TCP; the others are HTTP, so rows from before (the empty default) mean what they meant. The same holds for a
-- revision's spec: a spec without tcpPorts has none.
ALTER TABLE deployment ADD COLUMN tcp_ports JSONB NOT NULL DEFAULT '[]';

-- The edge port each tcp port of a live deployment holds on the edge's one shared address: the primary key makes an
-- edge port one deployment's in the whole platform; a row goes when its port stops being tcp or the deployment is
-- deleted, and stays (same edge port) across revisions that keep the port.
CREATE TABLE edge_tcp_port (
    edge_port       INTEGER PRIMARY KEY,
    deployment_id   UUID    NOT NULL REFERENCES deployment (id),
    container_port  INTEGER NOT NULL,
    CONSTRAINT edge_tcp_port_one_per_container_port UNIQUE (deployment_id, container_port)
);
