-- Which kind of email went to an account and when (never its content), as the privacy
-- notice describes.
CREATE TABLE email_log (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivered BOOLEAN NOT NULL,
    sent_at TIMESTAMP NOT NULL
);

CREATE INDEX email_log_user ON email_log (user_id, sent_at);
