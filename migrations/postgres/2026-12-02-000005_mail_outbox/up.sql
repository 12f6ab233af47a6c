-- Every email waits here until a worker has handed it to the mail server. A request
-- only adds a row, so a slow mail server never slows a page; the worker claims due rows
-- under a lease, so two workers never send one row at once and a crashed worker's rows
-- are picked up when the lease runs out.
CREATE TABLE mail_outbox (
    id SERIAL PRIMARY KEY,
    -- Scheduling the same email twice finds this key taken and adds nothing.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- Derived from the key, so a resend after an unknown outcome can be recognised.
    message_id TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- Emptied once sent: bodies may carry single-use links.
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- The one-click unsubscribe address (RFC 8058) for reminder emails; NULL for account
    -- emails, which nobody can unsubscribe from.
    list_unsubscribe TEXT,
    -- The milestone a reminder is about, so completing or re-dating it can withdraw the
    -- reminder while it waits.
    milestone_id INTEGER,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);

CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id);
CREATE INDEX mail_outbox_milestone ON mail_outbox (milestone_id);
