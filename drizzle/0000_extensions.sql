-- Trigram indexes back the operators' substring search on usernames and emails.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
