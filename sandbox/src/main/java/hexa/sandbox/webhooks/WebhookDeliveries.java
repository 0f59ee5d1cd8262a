package hexa.sandbox.webhooks;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxScheduler;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.WebhookTarget;
import tools.jackson.databind.json.JsonMapper;

/** Routes webhook events of every number to the outbox of its app's callback URL. */
@Component
public class WebhookDeliveries implements DisposableBean {

    private final Map<WebhookTarget, WebhookOutbox> outboxes = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final SandboxScheduler scheduler;
    private final JsonMapper json = SandboxJson.MAPPER;
    private final SandboxSwitches switches;
    private final SandboxStats stats;
    private final SandboxClock clock;
    private final WhatsAppIds ids;
    private final RetryBacklog backlog;

    public WebhookDeliveries(SandboxSwitches switches, SandboxStats stats, SandboxClock clock, WhatsAppIds ids,
            SandboxScheduler scheduler, RetryBacklog backlog) {
        this.backlog = backlog;
        this.switches = switches;
        this.stats = stats;
        this.clock = clock;
        this.ids = ids;
        this.scheduler = scheduler;
    }

    /** Starts (once per target) the handshake and, after it, delivery. */
    public WebhookOutbox subscribe(WebhookTarget target) {
        if (!target.isConfigured()) {
            return null;
        }
        return outboxes.computeIfAbsent(target, t -> {
            WebhookOutbox outbox = new WebhookOutbox(t, http, scheduler.executor(), json, switches, stats, clock, ids, backlog);
            outbox.start();
            return outbox;
        });
    }

    public WebhookOutbox outbox(WebhookTarget target) {
        return target == null ? null : outboxes.get(target);
    }

    public void publish(BusinessNumber number, WebhookEvent event) {
        WebhookOutbox outbox = subscribe(number.webhookTarget());
        if (outbox == null) {
            stats.webhookEventsDropped.increment();
            return;
        }
        outbox.publish(event);
    }

    @Override
    public void destroy() {
        outboxes.values().forEach(WebhookOutbox::stop);
    }
}
