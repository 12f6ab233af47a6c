DROP TABLE sign_in_failures;
DROP TABLE email_tokens;
DROP TABLE sessions;
DROP TABLE users;
