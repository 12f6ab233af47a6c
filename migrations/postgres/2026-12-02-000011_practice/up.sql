-- Interview practice: the question bank, attempts with their feedback, and each account's tier.
CREATE TABLE practice_questions (
    id SERIAL PRIMARY KEY,
    role_slug TEXT NOT NULL REFERENCES roles (slug) ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('behavioural', 'technical', 'situational', 'career-change')),
    text TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX practice_questions_role ON practice_questions (role_slug, position);

CREATE TABLE practice_points (
    id SERIAL PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES practice_questions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    point TEXT NOT NULL,
    -- One signal word or phrase per line.
    signals TEXT NOT NULL
);
CREATE INDEX practice_points_question ON practice_points (question_id, position);

CREATE TABLE practice_terms (
    role_slug TEXT NOT NULL REFERENCES roles (slug) ON UPDATE CASCADE,
    term TEXT NOT NULL,
    PRIMARY KEY (role_slug, term)
);

CREATE TABLE practice_attempts (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- NULL once an admin removes the question; the attempt keeps its own copy of the text.
    question_id INTEGER REFERENCES practice_questions (id) ON DELETE SET NULL,
    role_slug TEXT NOT NULL,
    question_text TEXT NOT NULL,
    answer TEXT NOT NULL,
    feedback TEXT NOT NULL,
    points_covered INTEGER NOT NULL,
    points_total INTEGER NOT NULL,
    -- The day in the account's zone, and whether the answer used a free allowance.
    local_day DATE NOT NULL,
    counted BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX practice_attempts_user_day ON practice_attempts (user_id, local_day);
CREATE INDEX practice_attempts_user_question ON practice_attempts (user_id, question_id);

-- No row: free. The tier is changed only through db::practice.
CREATE TABLE subscriptions (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    premium BOOLEAN NOT NULL DEFAULT FALSE,
    trial_started_at TIMESTAMP,
    trial_ends_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
