-- What a guide needs to tell the truth about getting into a role: where its pay figures
-- come from, when a newcomer must show each skill, the routes to a required qualification
-- (their kind, length, cost and funding), and which skills are close relatives.
-- Plain SQL that SQLite and PostgreSQL both accept.

ALTER TABLE roles ADD COLUMN pay_basis TEXT NOT NULL DEFAULT '';
-- Where the qualification's routes, fees and funding apply ("in England"), and what
-- differs in the other nations.
ALTER TABLE roles ADD COLUMN qualification_applies_in TEXT NOT NULL DEFAULT '';
ALTER TABLE roles ADD COLUMN qualification_elsewhere TEXT NOT NULL DEFAULT '';

-- The routes to a role's qualification, the usual one for a career changer at position 0.
-- qualification_months and qualification_cost on roles repeat the usual route's figures
-- for older readers.
CREATE TABLE role_entry_routes (
    role_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('paid-training', 'unpaid-study', 'apprenticeship')),
    months INTEGER NOT NULL CHECK (months > 0),
    unpaid_months INTEGER NOT NULL CHECK (unpaid_months >= 0),
    apply_min_months INTEGER NOT NULL CHECK (apply_min_months >= 0),
    apply_max_months INTEGER NOT NULL,
    entry_requirements TEXT NOT NULL,
    cost TEXT NOT NULL,
    funding TEXT NOT NULL,
    degree_required BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (role_slug, position),
    CHECK (unpaid_months <= months),
    CHECK (apply_max_months >= apply_min_months)
);

-- Whether a newcomer must show a role skill before applying or learns it on the job.
CREATE TABLE role_skill_timing (
    role_slug TEXT NOT NULL,
    skill_slug TEXT NOT NULL,
    timing TEXT NOT NULL CHECK (timing IN ('before-applying', 'on-the-job')),
    PRIMARY KEY (role_slug, skill_slug),
    FOREIGN KEY (role_slug, skill_slug) REFERENCES role_skills (role_slug, skill_slug)
        ON DELETE CASCADE ON UPDATE CASCADE
);

-- Skills in one family are close relatives: knowing one halves the time to learn another.
CREATE TABLE skill_families (
    skill_slug TEXT PRIMARY KEY NOT NULL
        REFERENCES skills (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    family TEXT NOT NULL
);
