CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credits_total INTEGER NOT NULL,
    credits_used INTEGER NOT NULL DEFAULT 0,
    credits_reserved INTEGER NOT NULL DEFAULT 0,
    page_limit INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    test BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    expires_at TEXT
);

CREATE TABLE requests (
    request_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    key_id TEXT NOT NULL,
    status TEXT NOT NULL,
    current_stage TEXT,
    progress_percentage INTEGER NOT NULL DEFAULT 0,
    input_type TEXT NOT NULL,
    config TEXT NOT NULL,
    file_name TEXT,
    file_size_bytes INTEGER,
    estimated_credits INTEGER NOT NULL,
    credits_consumed INTEGER NOT NULL DEFAULT 0,
    test_mode BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    completed_at TEXT,
    expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    input_text TEXT,
    input_data TEXT,
    job_description TEXT,
    raw_text TEXT,
    response TEXT
);
CREATE INDEX requests_by_account ON requests (account_id, created_at DESC, request_id DESC);
CREATE INDEX requests_by_status ON requests (status, created_at);
CREATE INDEX requests_by_expiry ON requests (expires_at);

CREATE TABLE request_files (
    request_id TEXT PRIMARY KEY REFERENCES requests(request_id) ON DELETE CASCADE,
    data {blob} NOT NULL
);

CREATE TABLE credit_ledger (
    id {identity},
    account_id TEXT NOT NULL,
    request_id TEXT,
    kind TEXT NOT NULL,
    amount INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX credit_ledger_by_account ON credit_ledger (account_id, created_at);

CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    request_id TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
);
