package hexa.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Gives a workspace of the running app a million contacts as a CRM keeps them, set-based like {@link InboxSeeder}
 * (whose name lists and index handling it reuses): contacts the inbox seeder made are kept and filled in, the rest
 * are added. Every value is derived from a hash of the contact's id, so a run is reproducible:
 *
 * <ul>
 *   <li>email for 70 % (first.last + digits at one of eight domains), company for 40 %, an owner for 50 % (spread
 *       over the members given), marketing consent opted in 30 % / opted out 5 % / unknown, blocked 0.2 %, never
 *       active 5 %;</li>
 *   <li>custom attributes {@code city} (list of 10), {@code plan} (text: basic/pro/enterprise), {@code birthday}
 *       (date), {@code orders} (number 0–49), {@code newsletter} (checkbox, a third checked);</li>
 *   <li>tags: customer 15 %, newsletter 8 %, lead 10 %, vip 2 %, wholesale 1 %, escalated 0.01 %.</li>
 * </ul>
 */
final class ContactsSeeder {

    static final String CITIES = "Mumbai Pune Delhi Bengaluru Chennai Kolkata Ahmedabad Surat Jaipur Lucknow";
    static final String COMPANIES = "Acme Traders|Sharma Textiles|Patel Exports|Global Foods|Sunrise Retail|Blue Ocean Logistics|"
            + "Green Leaf Organics|Silverline Tech|Royal Sarees|Metro Mobiles|Kiran Stores|Om Electricals";
    static final String DOMAINS = "gmail.com yahoo.in outlook.com hotmail.com rediffmail.com acme.example shop.example mail.example";

    private ContactsSeeder() {
    }

    static void seed(Connection db, UUID tenant, int contacts, List<UUID> owners, InboxSeeder.Log log) throws SQLException {
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("set local maintenance_work_mem = '1GB'");
            s.execute("set local work_mem = '256MB'");
            s.execute("set local synchronous_commit = off");
            InboxSeeder.exec(db, log, "  attribute definitions", """
                    insert into contact_attributes (tenant_id, key, label, type, options, required, position, created_at)
                    values (?, 'city', 'City', 'list', string_to_array(?, ' '), false, 1, now()),
                           (?, 'plan', 'Plan', 'text', '{}', false, 2, now()),
                           (?, 'birthday', 'Birthday', 'date', '{}', false, 3, now()),
                           (?, 'orders', 'Orders', 'number', '{}', false, 4, now()),
                           (?, 'newsletter', 'Newsletter', 'checkbox', '{}', false, 5, now())
                    on conflict do nothing
                    """, tenant, CITIES, tenant, tenant, tenant, tenant);
            List<String> restore = InboxSeeder.dropIndexesAndForeignKeys(db, List.of("contacts", "contact_tags"), log);
            InboxSeeder.exec(db, log, "  contacts added beside those already there", """
                    insert into contacts (tenant_id, id, name, profile_name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                    select ?, md5('lc' || n)::uuid,
                           case when h3 % 5 = 0 then null
                                else f.names[(1 + h1 % cardinality(f.names))::int] || ' ' || l.names[(1 + h2 % cardinality(l.names))::int] end,
                           f.names[(1 + (h2 / 7) % cardinality(f.names))::int] || ' ' || l.names[(1 + (h1 / 7) % cardinality(l.names))::int],
                           '+91' || (6000000000 + (n::bigint * 7919) % 999999999), '91' || (6000000000 + (n::bigint * 7919) % 999999999),
                           now() - make_interval(secs => h2 % (400 * 86400)), now(),
                           case when h3 % 20 = 7 then null else now() - make_interval(secs => h1 % (80 * 86400)) end
                      from (select n, (n::bigint * 2654435761) % 2147483629 as h1, (n::bigint * 40503 + 7919) % 2147483587 as h2,
                                   (n::bigint * 69069 + 1) % 1000003 as h3
                              from generate_series(1, greatest(0, ? - (select count(*) from contacts where tenant_id = ?))::int) n) g,
                           (select string_to_array(?, ' ') as names) f, (select string_to_array(?, ' ') as names) l
                    """, tenant, contacts, tenant, InboxSeeder.FIRST_NAMES, InboxSeeder.LAST_NAMES);
            InboxSeeder.exec(db, log, "  CRM fields of every contact", """
                    update contacts c
                       set email = case when x.h % 10 < 7 then
                                       lower(regexp_replace(coalesce(c.name, c.profile_name, 'customer'), '[^A-Za-z]+', '.', 'g')) || (x.h % 997)
                                       || '@' || d.domains[(1 + x.h % cardinality(d.domains))::int] end,
                           company = case when x.h2 % 10 < 4 then k.companies[(1 + x.h2 % cardinality(k.companies))::int] end,
                           owner_id = case when x.h % 2 = 0 then (cast(? as uuid[]))[(1 + x.h2 % ?)::int] end,
                           marketing_consent = case when x.h3 % 100 < 30 then 'opted_in' when x.h3 % 100 < 35 then 'opted_out' else 'unknown' end,
                           marketing_consent_source = case when x.h3 % 100 < 35 then (array['import', 'form', 'keyword', 'agent'])[(1 + x.h % 4)::int] end,
                           marketing_consent_at = case when x.h3 % 100 < 35 then coalesce(c.last_activity_at, c.created_at) end,
                           blocked_at = case when x.h3 % 1000 < 2 then now() - interval '3 days' end,
                           attributes = jsonb_build_object(
                               'city', ci.cities[(1 + x.h3 % cardinality(ci.cities))::int],
                               'plan', (array['basic', 'pro', 'enterprise'])[(1 + x.h2 % 3)::int],
                               'birthday', to_char(date '1960-01-01' + (x.h % 16000)::int, 'YYYY-MM-DD'),
                               'orders', x.h2 % 50,
                               'newsletter', x.h % 3 = 0)
                      from (select id, ('x' || substr(md5(id::text), 1, 7))::bit(28)::int as h,
                                   ('x' || substr(md5(id::text), 8, 7))::bit(28)::int as h2,
                                   ('x' || substr(md5(id::text), 15, 7))::bit(28)::int as h3
                              from contacts where tenant_id = ?) x,
                           (select string_to_array(?, ' ') as domains) d, (select string_to_array(?, '|') as companies) k,
                           (select string_to_array(?, ' ') as cities) ci
                     where c.tenant_id = ? and c.id = x.id
                    """, owners.toArray(new UUID[0]), owners.size(), tenant, DOMAINS, COMPANIES, CITIES, tenant);
            InboxSeeder.exec(db, log, "  tags", """
                    insert into contact_tags (tenant_id, contact_id, tag, created_at)
                    select ?, id, tag, now() from (
                        select id, case when h % 100 < 15 then 'customer' when h % 100 < 25 then 'lead' when h % 100 < 27 then 'vip' end as tag from x
                        union all select id, 'newsletter' from x where h2 % 100 < 8
                        union all select id, 'wholesale' from x where h2 % 100 = 50
                        union all select id, 'escalated' from x where h3 % 10000 = 17) t
                     where tag is not null
                    """.replace("from x", "from (select id, ('x' || substr(md5(id::text || 't'), 1, 7))::bit(28)::int as h,"
                    + " ('x' || substr(md5(id::text || 't'), 8, 7))::bit(28)::int as h2, ('x' || substr(md5(id::text || 't'), 15, 7))::bit(28)::int as h3"
                    + " from contacts where tenant_id = '" + tenant + "' and not exists (select 1 from contact_tags ct where ct.tenant_id = contacts.tenant_id"
                    + " and ct.contact_id = contacts.id)) x"), tenant);
            InboxSeeder.recreate(db, restore, log);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
        long analyze = System.nanoTime();
        try (Statement s = db.createStatement()) {
            s.execute("analyze contacts");
            s.execute("analyze contact_tags");
        }
        log.step("ANALYZE", analyze);
    }
}
