-- Each number's sending rate, 80 messages per second unless Meta raised it for the number.
alter table whatsapp_connections add column messages_per_second int not null default 80 check (messages_per_second between 1 and 1000);
