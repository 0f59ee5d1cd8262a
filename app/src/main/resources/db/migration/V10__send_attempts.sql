-- When the current send attempt began. Set before the Graph API is called, cleared once Meta's
-- answer is stored: a message still carrying it after a crash has an unknown outcome and waits for
-- Meta's status webhook (which names our message id) before it is ever sent again.
alter table messages add column send_started_at timestamptz;
