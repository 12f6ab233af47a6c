-- Each account's reminder choices. A row is made the first time they are needed.
CREATE TABLE reminder_settings (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Days before a milestone's due date to send a reminder; 0 sends none in advance.
    days_before INTEGER NOT NULL DEFAULT 3 CHECK (days_before BETWEEN 0 AND 14),
    on_overdue BOOLEAN NOT NULL DEFAULT TRUE,
    weekly_digest BOOLEAN NOT NULL DEFAULT FALSE,
    -- ISO weekday: 1 is Monday, 7 is Sunday.
    digest_weekday INTEGER NOT NULL DEFAULT 1 CHECK (digest_weekday BETWEEN 1 AND 7),
    -- The hour (0–23) in the account's own time zone at which reminders go out.
    send_hour INTEGER NOT NULL DEFAULT 8 CHECK (send_hour BETWEEN 0 AND 23),
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    -- The secret in the unsubscribe link every reminder carries.
    unsubscribe_token TEXT NOT NULL UNIQUE,
    updated_at TIMESTAMP NOT NULL
);
