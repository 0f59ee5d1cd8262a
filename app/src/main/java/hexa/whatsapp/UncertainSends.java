package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.web.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends whose answer from Meta was lost, and when such a send may go again: never twice.
 *
 * <p>A send is <em>uncertain</em> when its attempt began ({@code messages.send_started_at}, set by the claim) and no
 * answer was stored: a node found it still claimed after its lease ({@code hexa.whatsapp.send-grace}) ran out (the
 * process died while Meta answered), or the Graph API call timed out. Meta may have accepted it. It stays
 * {@code QUEUED} in the database with {@code uncertain_since} set, and shows as {@link MessageStatus#UNCERTAIN}
 * ("Sending — waiting for WhatsApp to confirm"). The rule:
 *
 * <ol>
 * <li><b>Settled by Meta.</b> A status webhook naming the message (our id in {@code biz_opaque_callback_data}) at
 *     any time settles it as accepted, with its WhatsApp id ({@link MessageLog#applyStatus}): never sent again.</li>
 * <li><b>The hold starts when the app can listen.</b> {@code uncertain_since} (H) is set by a running node when it
 *     finds the send uncertain, and set again to the start time by every node that starts ({@link #rearm}): time
 *     never counts while the app was down. A node starting while others run only delays a resend, never hastens it,
 *     so this is safe with any number of nodes; nothing is kept in memory.</li>
 * <li><b>Flowing.</b> Meta's webhooks for the message's number are flowing again once the app has stored a webhook
 *     received on that number's callback at or after H ({@code webhook_events}, shared by all nodes); the first such
 *     one is F.</li>
 * <li><b>How long.</b> The hold is {@code max(send-grace, min(F − S, uncertain-hold-max))}, S being when the
 *     attempt began: F − S is the outage as this message saw it. Meta retries an undelivered webhook with a doubling
 *     interval (1, 3, 7, 15, 31, 63, 123 s …), so a status Meta first tried at t ≥ S, while nobody could hear it, is
 *     tried again within about t − S ≤ F − S after deliveries work again. The message is resent at F + hold, if no
 *     status named it by then (a message marked {@code never_resend}, such as a campaign's, is failed instead as
 *     "not confirmed — not resent").</li>
 * <li><b>Silence.</b> If no webhook for the number arrives by H + {@code uncertain-hold-max}, the app cannot tell a
 *     quiet number from one whose webhooks do not reach it: the message is failed as "not confirmed — not resent",
 *     so that a person decides (Retry sends it again).</li>
 * <li><b>Beyond the cap.</b> After an outage longer than {@code uncertain-hold-max} the hold is the cap: a status
 *     Meta first tried early in the outage may come back after it, so a message Meta did accept may be sent a second
 *     time (never one marked {@code never_resend}). Raise the cap where longer outages are expected.</li>
 * </ol>
 */
@Component
class UncertainSends {

    /** How often a held message without any webhook for its number looks again. */
    static final Duration RECHECK = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(UncertainSends.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration grace;
    private final Duration cap;

    UncertainSends(JdbcClient jdbc, Clock clock, @Value("${hexa.whatsapp.send-grace:2m}") Duration grace,
                   @Value("${hexa.whatsapp.uncertain-hold-max:30m}") Duration cap) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.grace = grace;
        this.cap = cap.compareTo(grace) < 0 ? grace : cap;
    }

    /** The hold after an attempt begun at {@code attemptStart} whose outage, as the message saw it, lasted until {@code until}. */
    Duration hold(Instant attemptStart, Instant until) {
        Duration outage = attemptStart == null ? Duration.ZERO : Duration.between(attemptStart, until);
        if (outage.isNegative()) {
            outage = Duration.ZERO;
        }
        Duration capped = outage.compareTo(cap) > 0 ? cap : outage;
        return capped.compareTo(grace) > 0 ? capped : grace;
    }

    /** What to do with an uncertain message whose hold was due. */
    sealed interface Decision {
    }

    /** Its hold has passed with webhooks flowing and nothing naming it: send it again. */
    record Resend() implements Decision {
    }

    /** Still held: look again at {@code until}. */
    record Wait(Instant until) implements Decision {
    }

    /** Not confirmed and not to be resent: fail it with {@code explanation}. */
    record NotConfirmed(String explanation) implements Decision {
    }

    /** The rule above, for a message held since {@code since} whose attempt began at {@code attemptStart}. */
    Decision decide(UUID tenant, UUID connection, Instant attemptStart, Instant since, boolean neverResend) {
        Instant now = clock.instant();
        Optional<Instant> flowing = firstWebhookSince(tenant, connection, since);
        if (flowing.isEmpty()) {
            Instant silenceEnds = since.plus(cap);
            if (!now.isBefore(silenceEnds)) {
                return new NotConfirmed(Text.t("whatsapp.send.not-confirmed-silent"));
            }
            Instant next = now.plus(RECHECK);
            return new Wait(next.isAfter(silenceEnds) ? silenceEnds : next);
        }
        Instant ends = flowing.get().plus(hold(attemptStart, flowing.get()));
        if (now.isBefore(ends)) {
            return new Wait(ends);
        }
        return neverResend ? new NotConfirmed(Text.t("whatsapp.send.not-confirmed-never-resend")) : new Resend();
    }

    private Optional<Instant> firstWebhookSince(UUID tenant, UUID connection, Instant since) {
        return jdbc.sql("""
                select min(received_at) as first from webhook_events
                 where tenant_id = :tenant and connection_id = :connection and received_at >= :since
                """)
                .param("tenant", tenant).param("connection", connection).param("since", Sql.ts(since))
                .query((rs, n) -> Optional.ofNullable(Sql.instant(rs, "first"))).single();
    }

    /**
     * This node is starting: whatever was uncertain is held again from now, for at least the outage as each message saw
     * it (up to the cap). Another node that ran all along loses nothing but time. It runs when this bean is made, before
     * any sender of this node is scheduled, so no stale hold (counted before the outage) is ever decided on here.
     */
    @PostConstruct
    void rearm() {
        Instant now = clock.instant();
        int held = jdbc.sql("""
                update messages
                   set uncertain_since = cast(:now as timestamptz),
                       next_attempt_at = cast(:now as timestamptz) + make_interval(secs => greatest(cast(:grace as double precision),
                           least(extract(epoch from cast(:now as timestamptz) - coalesce(send_started_at, cast(:now as timestamptz))),
                                 cast(:cap as double precision))))
                 where status = 'QUEUED' and uncertain_since is not null
                """)
                .param("now", Sql.ts(now)).param("grace", seconds(grace)).param("cap", seconds(cap)).update();
        if (held > 0) {
            log.info("{} message(s) whose sending was not confirmed by WhatsApp are held again from now (restart)", held);
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
