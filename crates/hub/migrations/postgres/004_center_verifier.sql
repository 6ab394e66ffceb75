-- The center's acts are signed: the hub keeps the verifying half of the center's signing key.
ALTER TABLE centers ADD COLUMN key_verifier TEXT;
