-- Each account's own skills: the role they are in now and what they can do, with a level.
CREATE TABLE skill_profiles (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The role they are in now (NULL: not said). Follows a renamed role; a removed one
    -- leaves it unset. Not "current_role": PostgreSQL reserves that word.
    role_slug TEXT REFERENCES roles (slug) ON DELETE SET NULL ON UPDATE CASCADE,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE profile_skills (
    user_id INTEGER NOT NULL REFERENCES skill_profiles (user_id) ON DELETE CASCADE,
    skill_slug TEXT NOT NULL REFERENCES skills (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    level TEXT NOT NULL CHECK (level IN ('learning', 'working', 'strong')),
    PRIMARY KEY (user_id, skill_slug)
);

-- Skills a plan left out because the profile already had them, as JSON
-- [{"skill": "SQL", "level": "strong"}], so the plan page can say why.
ALTER TABLE plans ADD COLUMN skipped_skills TEXT NOT NULL DEFAULT '[]';
