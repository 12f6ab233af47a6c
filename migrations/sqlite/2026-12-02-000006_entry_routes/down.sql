DROP TABLE skill_families;
DROP TABLE role_skill_timing;
DROP TABLE role_entry_routes;
ALTER TABLE roles DROP COLUMN qualification_elsewhere;
ALTER TABLE roles DROP COLUMN qualification_applies_in;
ALTER TABLE roles DROP COLUMN pay_basis;
