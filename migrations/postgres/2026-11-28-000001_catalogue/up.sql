-- The role catalogue (PostgreSQL). Slugs are the keys because they are stable, public and
-- what URLs use; renames cascade. Same tables and columns as migrations/sqlite.
CREATE TABLE sectors (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE skills (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('technical', 'professional', 'domain')),
    learn_weeks INTEGER NOT NULL CHECK (learn_weeks > 0),
    evidence TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE roles (
    slug TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    sector TEXT NOT NULL REFERENCES sectors (slug) ON UPDATE CASCADE,
    summary TEXT NOT NULL,
    appeal TEXT NOT NULL,
    challenges TEXT NOT NULL,
    -- One item per line.
    interviewers_look_for TEXT NOT NULL,
    routes_in TEXT NOT NULL,
    salary_reviewed DATE NOT NULL,
    entry_min BIGINT NOT NULL,
    entry_max BIGINT NOT NULL,
    mid_min BIGINT NOT NULL,
    mid_max BIGINT NOT NULL,
    senior_min BIGINT NOT NULL,
    senior_max BIGINT NOT NULL,
    qualification_name TEXT,
    qualification_route TEXT,
    qualification_months INTEGER,
    qualification_cost TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX roles_sector ON roles (sector);

CREATE TABLE role_skills (
    role_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    skill_slug TEXT NOT NULL REFERENCES skills (slug) ON UPDATE CASCADE,
    importance TEXT NOT NULL CHECK (importance IN ('core', 'supporting')),
    usage TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (role_slug, skill_slug)
);

CREATE INDEX role_skills_skill ON role_skills (skill_slug);

CREATE TABLE role_activities (
    role_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (role_slug, position)
);

-- Facts about this database itself, e.g. that the bundled catalogue was loaded once.
CREATE TABLE app_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
