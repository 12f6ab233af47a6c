-- Which address each email went to (hashed), so mail to any one address can be capped
-- per hour whatever its kind and whoever asked for it.
ALTER TABLE email_log ADD COLUMN recipient_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX email_log_recipient ON email_log (recipient_hash, sent_at);
