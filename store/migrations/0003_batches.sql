CREATE TABLE batches (
    batch_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL
);

ALTER TABLE requests ADD COLUMN batch_id TEXT;
CREATE INDEX requests_by_batch ON requests (batch_id);
