-- Clicks on a campaign's URL button through our redirect (/c/{token}): where it leads, and the campaign's key that
-- signs each recipient's link (so that a link cannot be made up for another recipient or campaign).
alter table campaigns add column click_url text check (click_url ~ '^https?://');
alter table campaigns add column click_secret bytea;
