-- Secret environment variables of a deployment: name -> value sealed by SecretBox (AES-GCM) with the deployment id and
-- the name as associated data, so a sealed value copied to another row or name does not open. Never in an event.
ALTER TABLE deployment ADD COLUMN secrets_sealed JSONB NOT NULL DEFAULT '{}'::jsonb;
