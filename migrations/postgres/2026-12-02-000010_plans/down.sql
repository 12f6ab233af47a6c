DROP TABLE milestones;
DROP TABLE plans;
DROP TABLE saved_transitions;
