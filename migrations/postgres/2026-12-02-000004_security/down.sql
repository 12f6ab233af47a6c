DROP INDEX email_log_recipient;
ALTER TABLE email_log DROP COLUMN recipient_hash;
