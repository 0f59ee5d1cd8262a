package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The customer's own words about marketing: a message that is exactly (trimmed, in any case) STOP or
 * UNSUBSCRIBE, or one of the workspace's opt-out words, opts them out; START or one of its opt-in words
 * opts them back in. Each gets the workspace's acknowledgement (their service window is open, since they
 * just wrote). Settings → Contacts → Consent keeps the words and the acknowledgements.
 *
 * <p>Built to sit on the webhook path: {@link #apply} skips a batch in memory unless one of its texts
 * is short enough to be a keyword, and then reads the workspace's settings once (a primary-key read).
 */
@Service
public class ConsentKeywords {

    /** "Stop promotions" is the text of Meta's own marketing opt-out quick reply. */
    public static final List<String> BUILT_IN_OPT_OUT = List.of("STOP", "UNSUBSCRIBE", "STOP PROMOTIONS");
    public static final List<String> BUILT_IN_OPT_IN = List.of("START");
    public static final int MAX_WORD = 40;
    public static final int MAX_WORDS = 20;
    public static final int MAX_REPLY = 1024;

    /**
     * A workspace's consent keywords. The word lists hold the workspace's own words only; the built-in
     * ones always apply as well.
     */
    public record Settings(List<String> optOutWords, List<String> optInWords, String optOutReply, String optInReply, boolean saved) {

        public Set<String> allOptOut() {
            return upper(BUILT_IN_OPT_OUT, optOutWords);
        }

        public Set<String> allOptIn() {
            return upper(BUILT_IN_OPT_IN, optInWords);
        }

        private static Set<String> upper(List<String> builtIn, List<String> own) {
            Set<String> all = new LinkedHashSet<>();
            builtIn.forEach(w -> all.add(w.toUpperCase(Locale.ROOT)));
            own.forEach(w -> all.add(w.toUpperCase(Locale.ROOT)));
            return all;
        }
    }

    /**
     * What a customer wrote that might be a keyword: a text message's body, or a button's text and its
     * payload (Meta's "Stop promotions" button, a quick reply), on the number they wrote to.
     */
    public record Written(UUID contactId, UUID connectionId, List<String> texts) {
    }

    /** An acknowledgement to send to a contact on a number. */
    public record Reply(UUID contactId, UUID connectionId, String text) {
    }

    private final JdbcClient jdbc;
    private final ConsentService consent;
    private final Blocking blocking;
    private final AuditTrail audit;
    private final Clock clock;

    ConsentKeywords(JdbcClient jdbc, ConsentService consent, Blocking blocking, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.consent = consent;
        this.blocking = blocking;
        this.audit = audit;
        this.clock = clock;
    }

    public Settings settings() {
        return jdbc.sql("select opt_out_words, opt_in_words, opt_out_reply, opt_in_reply from contact_consent_settings where tenant_id = :tenant")
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new Settings(List.of((String[]) rs.getArray("opt_out_words").getArray()),
                        List.of((String[]) rs.getArray("opt_in_words").getArray()), rs.getString("opt_out_reply"), rs.getString("opt_in_reply"), true))
                .optional()
                .orElseGet(ConsentKeywords::defaults);
    }

    public static Settings defaults() {
        return new Settings(List.of(), List.of(), Text.t("contacts.consent.default-opt-out-reply"), Text.t("contacts.consent.default-opt-in-reply"),
                false);
    }

    /**
     * Saves the workspace's own words (separated by commas or new lines) and acknowledgements. A word is
     * 1 to {@value #MAX_WORD} characters; one word cannot both opt out and opt in; built-in words need not
     * be listed. Bad input changes nothing.
     */
    @Transactional
    public Settings save(String optOutWords, String optInWords, String optOutReply, String optInReply) {
        List<String> out = words(optOutWords);
        List<String> in = words(optInWords);
        Set<String> outUpper = new Settings(out, List.of(), "", "", false).allOptOut();
        for (String word : new Settings(List.of(), in, "", "", false).allOptIn()) {
            if (outUpper.contains(word)) {
                throw UserError.invalid("contacts.consent.settings.word-both", word);
            }
        }
        String outReply = reply(optOutReply);
        String inReply = reply(optInReply);
        UUID actor = TenantContext.actor().userId();
        jdbc.sql("""
                insert into contact_consent_settings (tenant_id, opt_out_words, opt_in_words, opt_out_reply, opt_in_reply, updated_at, updated_by)
                values (:tenant, :out, :in, :outReply, :inReply, :now, :actor)
                on conflict (tenant_id) do update
                   set opt_out_words = excluded.opt_out_words, opt_in_words = excluded.opt_in_words, opt_out_reply = excluded.opt_out_reply,
                       opt_in_reply = excluded.opt_in_reply, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """)
                .param("tenant", TenantContext.tenantId()).param("out", out.toArray(new String[0])).param("in", in.toArray(new String[0]))
                .param("outReply", outReply).param("inReply", inReply).param("now", Sql.ts(clock.instant())).param("actor", actor)
                .update();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("optOutWords", out);
        details.put("optInWords", in);
        audit.record(AuditEntry.of("contacts.consent_settings_changed").details(details));
        return settings();
    }

    /**
     * Applies the keywords among customers' new messages, in the order they came (STOP then START in one
     * batch ends opted in): each opts its contact out or in (source keyword, the word as detail; nothing is
     * written when the contact already had that state) and answers the acknowledgements to send. A blocked
     * contact's wish is recorded all the same, but nothing is sent back to them: blocking stops automation.
     */
    @Transactional
    public List<Reply> apply(List<Written> messages) {
        List<Written> candidates = new ArrayList<>();
        for (Written message : messages) {
            if (message.texts().stream().anyMatch(ConsentKeywords::couldBeKeyword)) {
                candidates.add(message);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Settings settings = settings();
        Set<String> optOut = settings.allOptOut();
        Set<String> optIn = settings.allOptIn();
        record Match(Written message, ConsentService.Status status, String word) {
        }
        List<Match> matches = new ArrayList<>();
        for (Written message : candidates) {
            Match match = null;
            for (String text : message.texts()) {
                if (!couldBeKeyword(text)) {
                    continue;
                }
                String word = text.strip();
                String key = word.toUpperCase(Locale.ROOT);
                if (optOut.contains(key)) {
                    match = new Match(message, ConsentService.Status.OPTED_OUT, word);
                    break;
                }
                if (optIn.contains(key) && match == null) {
                    match = new Match(message, ConsentService.Status.OPTED_IN, word);
                }
            }
            if (match != null) {
                matches.add(match);
            }
        }
        if (matches.isEmpty()) {
            return List.of();
        }
        Set<UUID> blocked = blocking.blockedAmong(matches.stream().map(m -> m.message().contactId()).toList());
        List<Reply> replies = new ArrayList<>();
        for (Match match : matches) {
            UUID contact = match.message().contactId();
            consent.record(contact, match.status(), ConsentService.Source.KEYWORD, match.word());
            if (!blocked.contains(contact)) {
                replies.add(new Reply(contact, match.message().connectionId(),
                        match.status() == ConsentService.Status.OPTED_OUT ? settings.optOutReply() : settings.optInReply()));
            }
        }
        return replies;
    }

    private static boolean couldBeKeyword(String text) {
        if (text == null) {
            return false;
        }
        String word = text.strip();
        return !word.isEmpty() && word.length() <= MAX_WORD;
    }

    private static List<String> words(String written) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> words = new ArrayList<>();
        for (String part : (written == null ? "" : written).split("[,\\r\\n]+")) {
            String word = part.strip();
            if (word.isEmpty()) {
                continue;
            }
            if (word.length() > MAX_WORD) {
                throw UserError.invalid("contacts.consent.settings.word-too-long", word.substring(0, 20) + "…", MAX_WORD);
            }
            if (seen.add(word.toUpperCase(Locale.ROOT))) {
                words.add(word);
            }
        }
        if (words.size() > MAX_WORDS) {
            throw UserError.invalid("contacts.consent.settings.too-many-words", MAX_WORDS);
        }
        return words;
    }

    private static String reply(String text) {
        String clean = text == null ? "" : text.strip();
        if (clean.isEmpty() || clean.length() > MAX_REPLY) {
            throw UserError.invalid("contacts.consent.settings.reply-invalid", MAX_REPLY);
        }
        return clean;
    }
}
