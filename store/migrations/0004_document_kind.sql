ALTER TABLE requests ADD COLUMN document_kind TEXT NOT NULL DEFAULT 'resume'
