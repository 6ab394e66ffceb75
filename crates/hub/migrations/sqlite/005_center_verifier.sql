-- The center's acts are signed: the hub keeps the verifying half of the center key's signing
-- key, and checks the center's acts against it.
ALTER TABLE centers ADD COLUMN key_verifier TEXT;
