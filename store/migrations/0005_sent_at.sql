ALTER TABLE requests ADD COLUMN sent_at TEXT;
