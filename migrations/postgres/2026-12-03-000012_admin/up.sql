-- The admin area: retiring roles, addresses kept after a slug change, notes for one
-- transition, a revision for every content edit and a log of every admin action.
ALTER TABLE roles ADD COLUMN retired_at TIMESTAMP;

ALTER TABLE users ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP;

-- An old role slug and the slug it now answers as; guide and role addresses under the old
-- slug redirect permanently.
CREATE TABLE role_redirects (
    old_slug TEXT PRIMARY KEY NOT NULL,
    new_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    created_at TIMESTAMP NOT NULL
);

-- Extra words for one ordered pair of roles: a Markdown note and FAQ entries.
CREATE TABLE pair_notes (
    from_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    to_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    note TEXT NOT NULL,
    -- JSON: [{"question": "...", "answer": "..."}]
    faq TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (from_slug, to_slug)
);

-- One row per published content edit: the whole thing before and after, as JSON, so any
-- revision can be shown as a diff and restored.
CREATE TABLE revisions (
    id SERIAL PRIMARY KEY,
    -- 'role', 'skill', 'question' or 'pair-note', and its key ("data-analyst", "12", "a>b").
    entity TEXT NOT NULL CHECK (entity IN ('role', 'skill', 'question', 'pair-note')),
    entity_key TEXT NOT NULL,
    summary TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    admin_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    admin_email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX revisions_entity ON revisions (entity, entity_key, id);

CREATE TABLE audit_log (
    id SERIAL PRIMARY KEY,
    admin_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    admin_email TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    revision_id INTEGER REFERENCES revisions (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
