DROP TABLE reminder_settings;
