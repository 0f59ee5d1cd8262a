package hexa.whatsapp;

import static hexa.platform.web.Text.t;

import hexa.platform.config.HexaProperties;
import hexa.platform.database.Sql;
import hexa.platform.privacy.PersonExport;
import hexa.whatsapp.media.MediaLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.util.RawValue;

/**
 * The channel's part of a person's export: {@code messages.json}, every message of the person's conversations with its
 * statuses, reactions, earlier versions and deletion mark; {@code conversations.html}, the same messages to read in a
 * browser (their text escaped: a customer's markup stays text); and {@code media/}, the files, read through the
 * channel's own media storage. Messages are read through a cursor and written as they come, so 50,000 messages take
 * the memory of a thousand; the HTML page is written beside the JSON in one pass, to a scratch file under
 * the exports' directory ({@code <data-dir>/exports/}), deleted once copied.
 */
@Component
class WhatsAppExport implements PersonExport {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppExport.class);
    private static final int FETCH = 1_000;

    private final JdbcClient jdbc;
    private final JdbcClient streaming;
    private final TransactionTemplate readOnly;
    private final MediaLibrary media;
    private final Path scratch;

    WhatsAppExport(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions, MediaLibrary media, HexaProperties properties,
                   @Value("${hexa.privacy.export-dir:}") String exportDir) {
        this.jdbc = jdbc;
        JdbcTemplate template = new JdbcTemplate(dataSource);
        // PostgreSQL reads a result through a cursor, a fetch at a time, only inside a transaction with a fetch size.
        template.setFetchSize(FETCH);
        this.streaming = JdbcClient.create(template);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.media = media;
        this.scratch = exportDir == null || exportDir.isBlank() ? properties.dataDir().resolve("exports") : Path.of(exportDir);
    }

    /** One message as read: what the HTML page shows, and the whole of it as JSON. */
    private record Row(UUID id, UUID conversationId, String direction, String type, String body, Instant sentAt, String status,
                       boolean edited, boolean deleted, String mediaPath, String json) {
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        long total = jdbc.sql("select count(*) from messages where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", tenantId).param("contact", contactId).query(Long.class).single();
        Files.createDirectories(scratch);
        Path html = Files.createTempFile(scratch, "conversations-", ".html.part");
        List<Row> withMedia = new ArrayList<>();
        try {
            try (Writer page = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
                Html writer = new Html(page);
                writer.start();
                readOnly.executeWithoutResult(status -> {
                    // One person's messages are sorted in memory rather than on disk (for this transaction only).
                    jdbc.sql("set local work_mem = '64MB'").update();
                    try (Stream<Row> rows = streaming.sql(MESSAGES).param("tenant", tenantId).param("contact", contactId).query(WhatsAppExport::row).stream()) {
                        Iterator<Row> source = rows.iterator();
                        long[] done = {0};
                        Iterator<RawValue> messages = new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return source.hasNext();
                            }

                            @Override
                            public RawValue next() {
                                Row row = source.next();
                                writer.message(row);
                                if (row.mediaPath() != null) {
                                    withMedia.add(row);
                                }
                                if (++done[0] % FETCH == 0) {
                                    sink.progress(done[0], total + 1);
                                }
                                return new RawValue(row.json());
                            }
                        };
                        sink.json("messages.json", messages);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                writer.end();
            }
            try (InputStream in = Files.newInputStream(html)) {
                sink.file("conversations.html", in);
            }
        } finally {
            Files.deleteIfExists(html);
        }
        for (Row row : withMedia) {
            byte[] bytes;
            try {
                bytes = media.content(row.id()).bytes();
            } catch (RuntimeException e) {
                log.warn("The file of message {} could not be read for an export: {}", row.id(), e.getMessage());
                continue;
            }
            sink.file(row.mediaPath(), new ByteArrayInputStream(bytes));
        }
        sink.progress(total + 1, total + 1);
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), rs.getString("direction"), rs.getString("type"),
                rs.getString("body"), Sql.instant(rs, "sent_at"), rs.getString("status"), rs.getObject("edited_at") != null,
                rs.getObject("deleted_at") != null, rs.getString("media_path"), rs.getString("json"));
    }

    /**
     * The person's messages, oldest first, each as its JSON. Statuses and reactions are gathered for all of the
     * person's messages at once (a hash join each) rather than looked up message by message: 50,000 messages take two
     * passes, not 100,000 index lookups.
     */
    private static final String MESSAGES = """
            with m as (select * from messages where tenant_id = :tenant and contact_id = :contact),
                 s as (select s.wamid, json_agg(json_build_object('status', s.status, 'at', s.occurred_at, 'errors', s.errors)
                                       order by s.occurred_at) as statuses
                         from message_status_events s join m on s.tenant_id = :tenant and s.wamid = m.wamid group by s.wamid),
                 r as (select r.target_wamid, json_agg(json_build_object('by', r.reactor, 'emoji', r.emoji, 'at', r.reacted_at)
                                       order by r.reacted_at) as reactions
                         from message_reactions r join m on r.tenant_id = :tenant and r.target_wamid = m.wamid group by r.target_wamid),
                 x as (select m.*, f.kind as media_kind, f.mime_type as media_mime, f.filename as media_filename, f.size_bytes as media_size,
                              f.sha256 as media_sha256,
                              case when f.state = 'STORED' then 'media/' || m.id || '-' || coalesce(
                                   regexp_replace(f.filename, '[^A-Za-z0-9._-]', '_', 'g'),
                                   f.kind || '.' || coalesce(nullif(regexp_replace(split_part(split_part(f.mime_type, ';', 1), '/', 2), '[^A-Za-z0-9]', '', 'g'), ''), 'bin'))
                              end as media_path
                         from m left join media_files f on f.tenant_id = m.tenant_id and f.message_id = m.id)
            select x.id, x.conversation_id, x.direction, x.type, x.body, x.sent_at, x.status, x.edited_at, x.deleted_at, x.media_path,
                   json_build_object(
                     'id', x.id, 'conversationId', x.conversation_id, 'direction', x.direction, 'whatsappId', x.wamid, 'type', x.type,
                     'text', x.body, 'content', x.content, 'replyTo', x.reply_to_wamid, 'forwarded', x.forwarded, 'status', x.status,
                     'errorCode', x.error_code, 'errorTitle', x.error_title, 'errorDetails', x.error_details, 'sentAt', x.sent_at,
                     'statusAt', x.status_at, 'readAt', x.read_at, 'sentFrom', x.sent_from,
                     'edits', x.edits, 'editedAt', x.edited_at, 'deleted', x.deleted_at is not null, 'deletedAt', x.deleted_at,
                     'statuses', coalesce(s.statuses, '[]'::json), 'reactions', coalesce(r.reactions, '[]'::json),
                     'media', case when x.media_kind is null then null else json_build_object('kind', x.media_kind, 'mimeType', x.media_mime,
                                'filename', x.media_filename, 'sizeBytes', x.media_size, 'sha256', x.media_sha256, 'file', x.media_path) end
                   )::text as json
              from x left join s on s.wamid = x.wamid left join r on r.target_wamid = x.wamid
             order by x.conversation_id, x.sent_at, x.id
            """;

    /** The readable page: a section per conversation, a line per message, every customer's text escaped. */
    private static final class Html {
        private final Writer out;
        private UUID conversation;

        Html(Writer out) {
            this.out = out;
        }

        void start() {
            write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + e(t("privacy.export.html.title")) + "</title>\n"
                    + "<style>body{font-family:sans-serif;max-width:50rem;margin:auto;padding:1rem}"
                    + ".m{margin:.4rem 0;padding:.4rem .6rem;border-radius:.4rem;white-space:pre-wrap}"
                    + ".INBOUND{background:#f1f3f5}.OUTBOUND{background:#e3f2e1;margin-left:4rem}"
                    + ".meta{font-size:.8rem;color:#555}</style></head><body>\n<h1>" + e(t("privacy.export.html.title")) + "</h1>\n");
        }

        void message(Row row) {
            if (!Objects.equals(row.conversationId(), conversation)) {
                if (conversation != null) {
                    write("</section>\n");
                }
                conversation = row.conversationId();
                write("<section><h2>" + e(t("privacy.export.html.conversation", row.conversationId().toString())) + "</h2>\n");
            }
            String who = t("INBOUND".equals(row.direction()) ? "privacy.export.html.customer" : "privacy.export.html.business");
            StringBuilder meta = new StringBuilder(who).append(" · ").append(row.sentAt()).append(" · ").append(row.status().toLowerCase());
            if (row.edited()) {
                meta.append(" · ").append(t("privacy.export.html.edited"));
            }
            if (row.deleted()) {
                meta.append(" · ").append(t("privacy.export.html.deleted"));
            }
            String text = row.body() != null && !row.body().isBlank() ? row.body() : "[" + row.type() + "]";
            StringBuilder line = new StringBuilder("<div class=\"m ").append("INBOUND".equals(row.direction()) ? "INBOUND" : "OUTBOUND").append("\">")
                    .append("<div class=\"meta\">").append(e(meta.toString())).append("</div>").append(e(text));
            if (row.mediaPath() != null) {
                line.append("<div><a href=\"").append(e(row.mediaPath())).append("\">").append(e(row.mediaPath())).append("</a></div>");
            }
            write(line.append("</div>\n").toString());
        }

        void end() {
            if (conversation == null) {
                write("<p>" + e(t("privacy.export.html.none")) + "</p>\n");
            } else {
                write("</section>\n");
            }
            write("</body></html>\n");
        }

        private void write(String text) {
            try {
                out.write(text);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        private static String e(String text) {
            return HtmlUtils.htmlEscape(text, "UTF-8");
        }
    }
}
