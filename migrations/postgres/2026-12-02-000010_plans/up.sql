-- Transitions a user has saved, the plans built from them and the plans' milestones (PostgreSQL).
CREATE TABLE saved_transitions (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    from_slug TEXT NOT NULL REFERENCES roles (slug) ON UPDATE CASCADE,
    to_slug TEXT NOT NULL REFERENCES roles (slug) ON UPDATE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, from_slug, to_slug)
);

CREATE TABLE plans (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    saved_transition_id INTEGER NOT NULL REFERENCES saved_transitions (id) ON DELETE CASCADE,
    start_date DATE NOT NULL,
    months INTEGER NOT NULL CHECK (months BETWEEN 6 AND 12),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    -- The secret in the private calendar feed's address; NULL when there is no feed.
    calendar_token TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX plans_user ON plans (user_id);
-- One active plan per saved transition; archived ones may pile up.
CREATE UNIQUE INDEX plans_one_active ON plans (saved_transition_id) WHERE status = 'active';

CREATE TABLE milestones (
    id SERIAL PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('learn', 'cv', 'portfolio', 'network', 'apply', 'interview', 'qualification', 'custom')),
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    skill_slug TEXT,
    -- Both NULL: "after this plan".
    starts_on DATE,
    due_on DATE,
    status TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
    notes TEXT NOT NULL DEFAULT '',
    -- The user changed its title, dates or notes: regenerating keeps it unless told otherwise.
    edited BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX milestones_plan ON milestones (plan_id, position);
