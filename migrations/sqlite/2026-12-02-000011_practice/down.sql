DROP TABLE subscriptions;
DROP TABLE practice_attempts;
DROP TABLE practice_terms;
DROP TABLE practice_points;
DROP TABLE practice_questions;
