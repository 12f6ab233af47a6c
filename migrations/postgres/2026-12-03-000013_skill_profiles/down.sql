ALTER TABLE plans DROP COLUMN skipped_skills;
DROP TABLE profile_skills;
DROP TABLE skill_profiles;
