DROP TABLE app_meta;
DROP TABLE role_activities;
DROP TABLE role_skills;
DROP TABLE roles;
DROP TABLE skills;
DROP TABLE sectors;
