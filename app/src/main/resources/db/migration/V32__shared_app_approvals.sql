-- Workspaces that connect numbers of one Meta app share its app secret, and Meta sends all of the app's webhooks to
-- the one callback URL in its dashboard: a POST signed with that secret may name any of the app's numbers. A change
-- for another workspace's number is applied there only when that workspace's Owner approved the connection it comes
-- in on (one row here); otherwise it is skipped, as one of another app is. Rows belong to the approving workspace;
-- the connection approved is another workspace's, named without a foreign key.
create table whatsapp_shared_app_approvals (
    tenant_id          uuid not null,
    connection_id      uuid not null,
    via_tenant_id      uuid not null,
    via_connection_id  uuid not null,
    via_phone_number   text not null,
    approved_by        uuid,
    approved_at        timestamptz not null,
    primary key (tenant_id, connection_id, via_connection_id),
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id) on delete cascade
);
