-- A deployment's egress policy (part of its revision; the revision's spec JSON carries it too). NULL: allow-all, the
-- default, which is what deployments made before egress existed get.
ALTER TABLE deployment ADD COLUMN egress JSONB;
