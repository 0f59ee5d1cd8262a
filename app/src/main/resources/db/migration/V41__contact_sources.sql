-- Where contacts came from: every click-to-WhatsApp ad (or post) referral a customer's message carried, one row per
-- message. A contact's first referral is its source (how it first came through an ad); later ones are kept as its
-- history, the latest shown beside the source. Filters ("came from an ad", one ad by id or headline) and reports read
-- them; a contact's referrals go with it when it is deleted and move with it when it is merged.
create table contact_referrals (
    tenant_id    uuid not null,
    contact_id   uuid not null,
    wamid        text not null,
    source_type  text,
    source_id    text,
    source_url   text,
    headline     text,
    body         text,
    media_type   text,
    ctwa_clid    text,
    referred_at  timestamptz not null,
    created_at   timestamptz not null,
    primary key (tenant_id, contact_id, wamid),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index contact_referrals_by_ad on contact_referrals (tenant_id, source_id);
create index contact_referrals_by_time on contact_referrals (tenant_id, referred_at);

-- Each contact's source (its first referral) with when the contact was created, as reports read it: new contacts by
-- source, and by ad. "brought_contact" says the ad brought a new contact: the contact did not exist before the message
-- that carried it (a minute's leeway, as Meta's timestamps are whole seconds); a contact imported or added by hand who
-- later taps an ad has the ad as its source, but the ad did not bring it.
create view published_contact_sources as
select distinct on (r.tenant_id, r.contact_id)
       r.tenant_id, r.contact_id, r.source_type, r.source_id, r.source_url, r.headline, r.referred_at,
       c.created_at as contact_created_at, c.created_at >= r.referred_at - interval '1 minute' as brought_contact
  from contact_referrals r
  join contacts c on c.tenant_id = r.tenant_id and c.id = r.contact_id
 order by r.tenant_id, r.contact_id, r.referred_at, r.wamid;

-- Reports count new contacts: when each contact was created is published with the rest.
create or replace view published_contacts as
select tenant_id, id, name, profile_name, phone_e164, whatsapp_user_id, created_at
  from contacts;
