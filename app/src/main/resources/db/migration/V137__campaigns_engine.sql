-- Campaigns' engine: preparing the audience in batches (a restart goes on after the last batch written), the local
-- date of "at 10:00 in each recipient's own time zone", and the list's order.
alter table campaigns
    add column local_date date,                -- with local_hour: the day each recipient gets it at that hour, in their zone
    add column prepared_through uuid,          -- the audience is written up to this contact id (contacts are taken in id order)
    add column prepared_at timestamptz,        -- when the whole audience was written (null: not yet)
    add column failure text;                   -- why preparing stopped (a segment deleted meanwhile…), shown on the campaign

create index campaigns_by_created on campaigns (tenant_id, created_at desc, id desc);
