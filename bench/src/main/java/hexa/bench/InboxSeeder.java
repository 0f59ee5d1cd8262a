package hexa.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Seeds a workspace of the running app's own PostgreSQL (schema made by the app's migrations) with
 * contacts, conversations, tags and messages, set-based: every row comes from one
 * {@code insert … select … from generate_series}. Ids are derived from the row number (md5 of a
 * per-workspace salt and the number), so the rows can be found again without lookup tables.
 *
 * <p>While loading, the secondary indexes and the foreign keys of contacts, conversations,
 * conversation_tags and messages are dropped and then recreated from their own definitions (read
 * from the catalog, so exactly what the migrations made) and the foreign keys validated over the
 * whole tables; all of it in one transaction, so a failure leaves the schema as it was.
 *
 * <p>The shape: one conversation per contact; most conversations have 1–18 messages, 1 in 1,000
 * has 300 and 1 in 50,000 has 5,000; messages alternate inbound and outbound (odd numbers inbound,
 * so a conversation with an odd count waits for the business). Statuses about 12 % open, 4 %
 * pending, 2 % snoozed, 82 % resolved; 60 % assigned to one of ten members; 25 % with a team;
 * some 30 % tagged. Bodies are 3–14 words from a word list in English, Spanish, Portuguese, Hindi,
 * Gujarati and Arabic chosen with a skew (a few words are everywhere, most are not), 3 % carry an
 * order number and 1 in 10,007 a rare word.
 */
final class InboxSeeder {

    /** The members conversations are assigned to: the demo's owner and agent and eight more. */
    static final int BENCH_MEMBERS = 8;
    static final String[] TAGS = {"order", "lead", "refund", "complaint", "vip", "wholesale", "escalated-legal"};

    static final String WORDS = String.join(" ",
            // English, most common first
            "hello hi thanks please order delivery when my the is it can you what price available size colour payment",
            "today tomorrow yes no ok address pincode shipped tracking refund return exchange discount offer stock",
            "cash card upi invoice bill cancel confirm booking appointment time morning evening week photo catalogue",
            "quality cotton silk shirt saree kurta shoes bag phone charger cover warranty repair service store branch",
            // Spanish and Portuguese
            "hola gracias por favor pedido entrega cuando precio disponible talla pago mañana dirección envío",
            "olá obrigado pedido entrega quando preço disponível tamanho pagamento amanhã endereço",
            // Hindi, Gujarati, Arabic
            "नमस्ते धन्यवाद कृपया ऑर्डर डिलीवरी कब कीमत उपलब्ध साइज़ भुगतान कल पता",
            "નમસ્તે આભાર કૃપા કરીને ઓર્ડર ડિલિવરી ક્યારે કિંમત ઉપલબ્ધ ચુકવણી",
            "مرحبا شكرا من فضلك طلب توصيل متى السعر متوفر الدفع غدا العنوان",
            // less common
            "invoice gst courier fragile gift wrapping bulk wholesale dealer franchise festival diwali eid christmas",
            "voucher loyalty points membership subscription renewal complaint manager feedback review rating stars");
    /** Words that are almost nowhere: about 1 message in 10,007 has one of them. */
    static final String RARE_WORDS = "zanzibar quetzal marmalade xylophone ஒட்டகம் ornithopter calligraphy saffron tangerine bioluminescent";

    static final String FIRST_NAMES = "Aarav Priya Rahul Ananya Vikram Sneha Arjun Kavya Rohan Isha Karan Neha Aditya Pooja Siddharth "
            + "Meera Nikhil Riya Harsh Tanvi Manish Divya Suresh Lakshmi Ravi Fatima Imran Ayesha Maria José Ana Carlos Lucía "
            + "Juan Sofia Pedro Beatriz Mohammed Layla Omar John Emily David Sarah Michael Grace Wei Mei Kenji Yuki";
    static final String LAST_NAMES = "Sharma Patel Singh Kumar Gupta Mehta Shah Reddy Nair Iyer Rao Joshi Desai Verma Khan Ahmed "
            + "Fernandes D'Souza Silva Santos Oliveira García Martínez López Hernández Smith Johnson Brown Wilson Taylor Chen Wang "
            + "Tanaka Sato Kapoor Chopra Malhotra Bose Das Ghosh Pillai Menon Qureshi Siddiqui Pereira Costa Rodrigues Alves Lima Gomes";

    private InboxSeeder() {
    }

    /** A workspace to fill. {@code salt} keeps its ids apart from other workspaces'. */
    record Target(UUID tenant, UUID connection, String salt, int contacts, long messages, Staff staff) {
    }

    /** Members and teams that conversations are spread over. */
    record Staff(List<UUID> members, List<UUID> teams) {
    }

    static void seed(Connection db, List<Target> targets, Log log) throws SQLException {
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("set local maintenance_work_mem = '1GB'");
            s.execute("set local work_mem = '256MB'");
            s.execute("set local synchronous_commit = off");
            List<String> restore = dropIndexesAndForeignKeys(db, List.of("contacts", "conversations", "conversation_tags", "messages"), log);
            for (Target target : targets) {
                fill(db, target, log);
            }
            recreate(db, restore, log);
            long commit = System.nanoTime();
            db.commit();
            log.step("Committed", commit);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
        long analyze = System.nanoTime();
        try (Statement s = db.createStatement()) {
            for (String table : List.of("contacts", "conversations", "conversation_tags", "messages")) {
                s.execute("analyze " + table);
            }
        }
        log.step("ANALYZE", analyze);
    }

    /**
     * Drops the secondary indexes, primary keys and foreign keys touching the seeded tables and answers
     * the statements that make them again, in the right order (keys, indexes, foreign keys).
     */
    static List<String> dropIndexesAndForeignKeys(Connection db, List<String> names, Log log) throws SQLException {
        long start = System.nanoTime();
        String tables = String.join(", ", names.stream().map(t -> "'" + t + "'::regclass").toList());
        List<String> foreignKeys = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet fks = s.executeQuery("select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint"
                     + " where contype = 'f' and (conrelid in (" + tables + ") or confrelid in (" + tables + ")) order by 1, 2")) {
            while (fks.next()) {
                drops.add("alter table " + fks.getString(1) + " drop constraint " + fks.getString(2));
                foreignKeys.add("alter table " + fks.getString(1) + " add constraint " + fks.getString(2) + " " + fks.getString(3));
            }
        }
        try (Statement s = db.createStatement();
             ResultSet ix = s.executeQuery("select i.indexrelid::regclass::text, i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid),"
                     + " c.conname, pg_get_constraintdef(c.oid) from pg_index i left join pg_constraint c on c.conindid = i.indexrelid"
                     + " and c.conrelid = i.indrelid where i.indrelid in (" + tables + ") order by 2, 1")) {
            while (ix.next()) {
                if (ix.getString(4) != null) {
                    drops.add("alter table " + ix.getString(2) + " drop constraint " + ix.getString(4));
                    keys.add("alter table " + ix.getString(2) + " add constraint " + ix.getString(4) + " " + ix.getString(5));
                } else {
                    drops.add("drop index " + ix.getString(1));
                    indexes.add(ix.getString(3));
                }
            }
        }
        try (Statement s = db.createStatement()) {
            for (String drop : drops) {
                s.execute(drop);
            }
        }
        log.step("Dropped " + indexes.size() + " indexes, " + keys.size() + " keys and " + foreignKeys.size() + " foreign keys for the load", start);
        List<String> restore = new ArrayList<>(keys);
        restore.addAll(indexes);
        restore.addAll(foreignKeys);
        return restore;
    }

    /** Runs what {@link #dropIndexesAndForeignKeys} answered, saying how long each statement took. */
    static void recreate(Connection db, List<String> restore, Log log) throws SQLException {
        long start = System.nanoTime();
        try (Statement s = db.createStatement()) {
            for (String ddl : restore) {
                long one = System.nanoTime();
                s.execute(ddl);
                log.step("  " + (ddl.length() > 110 ? ddl.substring(0, 110) + "…" : ddl), one);
            }
        }
        log.step("Recreated " + restore.size() + " indexes and constraints", start);
    }

    private static void fill(Connection db, Target t, Log log) throws SQLException {
        int n = t.contacts();
        int long5000 = Math.max(1, n / 50_000);
        int long300 = Math.max(long5000, n / 1_000);
        long rest = Math.max(n - long300, 1);
        long shortMessages = Math.max(rest, t.messages() - 5_000L * long5000 - 300L * (long300 - long5000));
        int spread = (int) Math.max(1, Math.round(2.0 * shortMessages / rest - 1)); // 1 + h % spread has this mean
        UUID[] members = t.staff().members().toArray(new UUID[0]);
        UUID[] teams = t.staff().teams().toArray(new UUID[0]);
        // Message k (1-based) of a conversation: inbound when k is odd, sent at last_at - (cnt - k) * step; so the last
        // inbound is k = cnt or cnt - 1, the last outbound the other one. Read by the team: everything when resolved and in
        // half of the others; in the other half all but the last inbound message.
        exec(db, log, "  [" + t.salt() + "] plan of " + n + " conversations", """
                create temp table bench_plan as
                select *, last_at - (cnt - 1) * step as first_at,
                       last_at - (cnt + 1) % 2 * step as last_in,
                       case when cnt >= 2 then last_at - cnt % 2 * step end as last_out,
                       case when status = 'RESOLVED' or h2 % 2 = 0 then last_at - (cnt + 1) % 2 * step
                            when cnt >= 3 then last_at - ((cnt + 1) % 2 + 2) * step end as last_read,
                       case when h1 % 10 < 6 then (?::uuid[])[(1 + h2 % ?)::int] end as assignee_id,
                       case when h3 % 4 = 0 then (?::uuid[])[(1 + h1 % ?)::int] end as team_id
                  from (select n, md5(?||'c'||n)::uuid as contact_id, md5(?||'v'||n)::uuid as conversation_id,
                               case when n <= ? then 5000 when n <= ? then 300 else 1 + (h1 % ?)::int end as cnt,
                               h1, h2, h3, 7000000000 + (n::bigint * 7919) % 2999999999 as phone,
                               interval '2 minutes' as step,
                               case when h3 % 100 < 12 then 'OPEN' when h3 % 100 < 16 then 'PENDING' when h3 % 100 < 18 then 'SNOOZED'
                                    else 'RESOLVED' end as status,
                               -- the last activity: within the last 80 days, the long conversations within the last hour
                               date_trunc('second', now()) - make_interval(secs => case when n <= ? then h2 % 3600 else h2 % (80 * 86400) end) as last_at
                          from (select n, (n::bigint * 2654435761) % 2147483629 as h1, (n::bigint * 40503 + 7919) % 2147483587 as h2,
                                       (n::bigint * 69069 + 1) % 1000003 as h3
                                  from generate_series(1, ?) n) g) p
                """, members, members.length, teams, teams.length, t.salt(), t.salt(), long5000, long300, spread, long300, n);
        exec(db, log, "  [" + t.salt() + "] " + n + " contacts", """
                insert into contacts (tenant_id, id, name, profile_name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                select ?, p.contact_id,
                       case when p.h3 % 5 = 0 then null
                            else f.names[(1 + p.h1 % cardinality(f.names))::int] || ' ' || l.names[(1 + p.h2 % cardinality(l.names))::int] end,
                       f.names[(1 + (p.h2 / 7) % cardinality(f.names))::int] || ' ' || l.names[(1 + (p.h1 / 7) % cardinality(l.names))::int],
                       '+91' || p.phone, '91' || p.phone, p.first_at - interval '1 minute', p.last_at, p.last_at
                  from bench_plan p,
                       (select string_to_array(?, ' ') as names) f, (select string_to_array(?, ' ') as names) l
                """, t.tenant(), FIRST_NAMES, LAST_NAMES);
        exec(db, log, "  [" + t.salt() + "] " + n + " conversations", """
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at, last_inbound_at,
                                           last_outbound_at, last_read_inbound_at, resolved_at, assignee_id, team_id, snoozed_until)
                select ?, conversation_id, contact_id, ?, status, first_at, last_at, last_in, last_out, last_read,
                       case when status = 'RESOLVED' then last_at + interval '1 minute' end, assignee_id, team_id,
                       case when status = 'SNOOZED' then now() + make_interval(hours => 1 + (h1 % 48)::int) end
                  from bench_plan
                """, t.tenant(), t.connection());
        exec(db, log, "  [" + t.salt() + "] tags", """
                insert into conversation_tags (tenant_id, conversation_id, tag)
                select ?, conversation_id, tag from (
                    select conversation_id, case when h2 % 100 < 10 then 'order' when h2 % 100 < 20 then 'lead' when h2 % 100 < 25 then 'refund'
                                                 when h2 % 100 < 28 then 'complaint' when h2 % 100 < 30 then 'vip' end as tag from bench_plan
                    union all
                    select conversation_id, 'wholesale' from bench_plan where h1 % 100 = 3
                    union all
                    select conversation_id, 'escalated-legal' from bench_plan where h1 % 10000 = 17) x
                 where tag is not null
                """, t.tenant());
        exec(db, log, "  [" + t.salt() + "] bodies", """
                create temp table bench_bodies as
                select b as i, (select string_agg(x.w[1 + floor(cardinality(x.w) * power(random(), 2.2))::int + 0 * g], ' ')
                                  from generate_series(1, 3 + (b * 7) % 12) g) as body
                  from generate_series(0, 49999) b, (select string_to_array(?, ' ') as w) x
                """, WORDS);
        long messagesStart = System.nanoTime();
        exec(db, log, "  [" + t.salt() + "] messages", """
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status,
                                      sent_at, status_at, created_at, connection_id, sent_by_kind, sent_by, read_at)
                select ?, md5(?||'m'||x.n||'.'||x.k)::uuid, x.conversation_id, x.contact_id, x.direction,
                       'wamid.bench.' || ? || x.n || '.' || x.k, 'text', x.body,
                       case when x.direction = 'INBOUND' then jsonb_build_object('from', '91' || x.phone, 'type', 'text', 'text', jsonb_build_object('body', x.body))
                            else jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', x.body)) end,
                       case when x.direction = 'INBOUND' then 'RECEIVED' when x.k >= x.cnt - 1 then 'DELIVERED' else 'READ' end,
                       x.at, case when x.direction = 'OUTBOUND' then x.at + interval '5 seconds' end, x.at + interval '1 second', ?,
                       case when x.direction = 'OUTBOUND' then 'USER' end, case when x.direction = 'OUTBOUND' then x.assignee_id end,
                       case when x.direction = 'INBOUND' and x.at <= x.last_read then x.at + interval '1 minute' end
                  from (select p.n, k, p.conversation_id, p.contact_id, p.phone, p.cnt, p.assignee_id, p.last_read,
                               case when k % 2 = 1 then 'INBOUND' else 'OUTBOUND' end as direction,
                               p.last_at - (p.cnt - k) * p.step as at,
                               b.body || case when (p.h1 + k * 31) % 33 = 0 then ' order #' || (1000000 + (p.h1 * 7 + k * 104729) % 9000000)
                                              when (p.h2 + k * 17) % 10007 = 0 then ' ' || r.w[(1 + (p.n + k) % cardinality(r.w))::int]
                                              else '' end as body
                          from bench_plan p
                          cross join lateral generate_series(1, p.cnt) k
                          join bench_bodies b on b.i = ((p.h1 * 131 + k * 7919) % 50000)::int
                          cross join (select string_to_array(?, ' ') as w) r) x
                """, t.tenant(), t.salt(), t.salt(), t.connection(), RARE_WORDS);
        exec(db, log, "  [" + t.salt() + "] clean up", "drop table bench_plan;\ndrop table bench_bodies\n");
        log.step("  [" + t.salt() + "] messages done", messagesStart);
    }

    static void exec(Connection db, Log log, String what, String sql, Object... params) throws SQLException {
        long start = System.nanoTime();
        int rows = 0;
        for (String one : sql.split(";\\s*\\n")) {
            if (one.isBlank()) {
                continue;
            }
            try (PreparedStatement ps = db.prepareStatement(one)) {
                int placeholders = (int) one.chars().filter(c -> c == '?').count();
                for (int i = 0; i < placeholders; i++) {
                    Object value = params[i];
                    if (value instanceof UUID[] array) {
                        ps.setArray(i + 1, db.createArrayOf("uuid", array));
                    } else {
                        ps.setObject(i + 1, value);
                    }
                }
                rows += ps.executeUpdate();
            }
        }
        log.step(what + " (" + rows + " rows)", start);
    }

    /** Where the seeder says how long each step took. */
    interface Log {
        void step(String what, long startNanos);
    }
}
