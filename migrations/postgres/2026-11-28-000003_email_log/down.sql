DROP TABLE email_log;
