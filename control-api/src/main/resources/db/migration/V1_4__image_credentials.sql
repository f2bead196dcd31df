-- The login for a private image's registry: the user name as given, the password sealed (AES-GCM, see SecretBox).
ALTER TABLE deployment ADD COLUMN registry_username TEXT;
ALTER TABLE deployment ADD COLUMN registry_password_sealed TEXT;
ALTER TABLE deployment ADD CONSTRAINT registry_login_complete
    CHECK ((registry_username IS NULL) = (registry_password_sealed IS NULL));
