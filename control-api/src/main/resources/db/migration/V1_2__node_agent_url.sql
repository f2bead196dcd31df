-- Where control-api reaches the node agent's own API (instance logs); sent with each registration, null for agents
-- that do not serve one.
ALTER TABLE node ADD COLUMN agent_url TEXT;
