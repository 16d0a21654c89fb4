ALTER TABLE accounts ADD COLUMN webhook_secret TEXT;

ALTER TABLE api_keys ADD COLUMN webhook_url TEXT;

CREATE TABLE webhook_deliveries (
    request_id TEXT PRIMARY KEY REFERENCES requests(request_id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts TEXT NOT NULL,
    next_attempt_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries (status, next_attempt_at);
