package hexa.sandbox;

import org.springframework.stereotype.Component;

/**
 * Knobs a test or a person turns at run time through {@code /sandbox/api/switches}: how fast and how
 * reliably Meta's side behaves. Volatile fields because delivery threads read them without locks.
 */
@Component
public class SandboxSwitches {

    public SandboxSwitches() {
    }

    @org.springframework.beans.factory.annotation.Autowired
    public SandboxSwitches(SandboxProperties properties) {
        this.graphLatencyMs = properties.getGraphLatency().toMillis();
    }

    /**
     * How long the answer to a send takes, as Meta's does over the internet ({@code hexa.sandbox.graph-latency}, 150 ms by
     * default; 0 in tests), give or take {@link #graphLatencyJitterMs}. The message is accepted (and counted in its second)
     * when the request arrives; the answer comes after the latency.
     */
    public volatile long graphLatencyMs = 150;
    /** Up to this much more or less than {@link #graphLatencyMs}, at random. */
    public volatile long graphLatencyJitterMs = 10;

    /**
     * The next this many sends are refused with Meta's error {@link #sendFailureCode} (130429, 131048, 131049, 130472,
     * 131050, 131056, 131057, 131064, 80007...), synchronously in Meta's error envelope.
     */
    public volatile int sendFailures = 0;
    public volatile int sendFailureCode = 131000;
    /** When set, only sends from this phone number id meet the failures. */
    public volatile String sendFailurePhoneNumberId = null;

    /**
     * The next this many accepted sends fail later, in a {@code failed} status webhook, with {@link #statusFailureCode}
     * (Meta reports 131049 and 130472 this way), from that phone number id only when one is given.
     */
    public volatile int statusFailures = 0;
    public volatile int statusFailureCode = 131049;
    public volatile String statusFailurePhoneNumberId = null;

    /** Takes one of the failed statuses asked for, if it applies to this number's send; the code, or 0. */
    public synchronized int takeStatusFailure(String phoneNumberId) {
        if (statusFailures <= 0) {
            return 0;
        }
        String only = statusFailurePhoneNumberId;
        if (only != null && !only.isBlank() && !only.equals(phoneNumberId)) {
            return 0;
        }
        statusFailures--;
        return statusFailureCode;
    }

    /** Takes one of the send failures asked for, if this number's send is one they apply to; the code, or 0. */
    public synchronized int takeSendFailure(String phoneNumberId) {
        if (sendFailures <= 0) {
            return 0;
        }
        String only = sendFailurePhoneNumberId;
        if (only != null && !only.isBlank() && !only.equals(phoneNumberId)) {
            return 0;
        }
        sendFailures--;
        return sendFailureCode;
    }

    /**
     * Meta's per-user marketing limit: at most this many marketing templates reach one person in a rolling 24 hours
     * (from any business; those sent while the person's service window is open neither count nor are limited); beyond
     * it a send is accepted and fails with 131049 in a status webhook. 0 (the default): no limit.
     */
    public volatile int marketingLimitPerUser = 0;
    /** Share (0..1) of people in Meta's marketing experiment, the same people every time: marketing to them fails with 130472. */
    public volatile double marketingExperimentRate = 0.0;
    /**
     * The code a message fails with when it would reach one person more than the number's messaging limit allows. The
     * contract names none (CONTRACT.md §10); 131048 is Meta's "restrictions on how many messages can be sent from this
     * phone number".
     */
    public volatile int messagingLimitFailureCode = 131048;

    /** Delay after acceptance before the {@code sent} status. */
    public volatile long sentDelayMs = 100;
    /** Delay after acceptance before {@code delivered}. */
    public volatile long deliveredDelayMs = 300;
    /** Delay after acceptance before {@code read} (and {@code played} for voice). */
    public volatile long readDelayMs = 800;
    /** Share of delivered messages the customer reads (0..1). */
    public volatile double readRate = 1.0;
    /** Share of delivered-and-read messages whose {@code delivered} is skipped, as Meta does when both happen at once. */
    public volatile double skipDeliveredRate = 0.0;
    /** Share of accepted messages that fail later with 131026 although the customer is reachable. */
    public volatile double undeliverableRate = 0.0;

    /** Share of webhook POSTs sent twice (at-least-once delivery). */
    public volatile double duplicateRate = 0.0;
    /** Share of webhook events held back so that later events overtake them. */
    public volatile double outOfOrderRate = 0.0;
    /** How long a held-back event waits. */
    public volatile long outOfOrderDelayMs = 1500;
    /** Largest number of events one POST carries (Meta: up to 1000 updates). */
    public volatile int maxBatchSize = 100;
    /** Time the dispatcher waits for more events before posting, to batch under load. */
    public volatile long batchWindowMs = 0;
    /**
     * POSTs to one callback URL in flight at once. 1 (the default) posts strictly one after another, in
     * order; more plays Meta under load, which sends concurrently and promises no order.
     */
    public volatile int deliveryConcurrency = 1;

    /**
     * First retry delay after a failed delivery. The n-th retry waits {@code retryInitialDelayMs × (2^n − 1)}: 1, 3, 7,
     * 15, 31, 63, 127 s … as Meta's retries come.
     */
    public volatile long retryInitialDelayMs = 1000;
    /** Cap of the retry delay (Meta's retries thin out to about one an hour). */
    public volatile long retryMaxDelayMs = 3_600_000;
    /** Attempts before a delivery is given up; 0 (the default) means no limit but {@link #retryForMs}. */
    public volatile int maxDeliveryAttempts = 0;
    /** How long after its first failure a webhook is still retried (Meta: 7 days). */
    public volatile long retryForMs = 7L * 24 * 3600 * 1000;
    /** Most bytes of webhook bodies waiting for a retry, across callbacks; beyond it the oldest are given up. */
    public volatile long maxRetryBacklogBytes = 64L * 1024 * 1024;
    /** A receiver slower than this counts as a failed delivery. */
    public volatile long deliveryTimeoutMs = 5000;

    /** How template review decides: "auto" (reject badly formatted ones), "approve" or "reject". */
    public volatile String templateDecision = "auto";
    /** Words (comma-separated) for which "auto" review rejects a template as ABUSIVE_CONTENT. */
    public volatile String templateForbiddenWords = "forbiddenword,guaranteed winner";

    /** The next this many media uploads are refused with {@link #mediaUploadFailureCode} (a test of the CRM's retries). */
    public volatile int mediaUploadFailures = 0;
    /** Meta's error code for a refused upload: 131000 (unknown, retry), 131016 (service unavailable), 131053 (media unusable)... */
    public volatile int mediaUploadFailureCode = 131000;

    /** When set, only uploads to this phone number id meet the failures (others, from other tests or clients, pass). */
    public volatile String mediaUploadFailurePhoneNumberId = null;

    /** Takes one of the upload failures asked for, if this number's upload is one they apply to; false otherwise. */
    public synchronized boolean takeMediaUploadFailure(String phoneNumberId) {
        if (mediaUploadFailures <= 0) {
            return false;
        }
        String only = mediaUploadFailurePhoneNumberId;
        if (only != null && !only.isBlank() && !only.equals(phoneNumberId)) {
            return false;
        }
        mediaUploadFailures--;
        return true;
    }

    /**
     * How long Meta's answer to an accepted send is held back (0: answered at once). The message is accepted first (in
     * the chat, counted, its statuses on their way), then the HTTP answer waits: a test can stop the app while Meta has
     * accepted but not answered, as a crash at that moment would.
     */
    public volatile long answerHoldMs = 0;
    /** When set, only sends from this phone number id have their answer held (others, from other tests or clients, do not). */
    public volatile String answerHoldPhoneNumberId = null;

    /** How long the answer to a send accepted for this number is held back. */
    public long answerHoldFor(String phoneNumberId) {
        long hold = answerHoldMs;
        String only = answerHoldPhoneNumberId;
        if (hold <= 0 || (only != null && !only.isBlank() && !only.equals(phoneNumberId))) {
            return 0;
        }
        return hold;
    }

    /** Customer-to-business pair limit: burst size and sustained rate (Meta: 45 and one per 6 s). */
    public volatile int pairBurst = 45;
    public volatile double pairMessagesPerSecond = 1.0 / 6.0;
}
