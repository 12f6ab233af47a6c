DROP TABLE audit_log;
DROP TABLE revisions;
DROP TABLE pair_notes;
DROP TABLE role_redirects;
ALTER TABLE users DROP COLUMN last_sign_in_at;
ALTER TABLE users DROP COLUMN disabled_reason;
ALTER TABLE roles DROP COLUMN retired_at;
