package hexa.campaigns;

import hexa.contacts.ContactFilter;
import hexa.platform.DemoConversationsSeeded;
import hexa.platform.DemoData;
import hexa.platform.access.Role;
import hexa.platform.database.AfterCommit;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code ./hexa run --demo}: a small campaign really sent through {@link CampaignService} to the demo shop's customers over
 * the sandbox, once their conversations are in and Meta (the sandbox) has approved the utility template
 * {@code order_shipped}: a dispatch notice with each customer's first name. The customer who wrote STOP is excluded as
 * opted out, the one waiting for a replacement by the excluded tag (their resolved conversation stays as it is); the others get it, and the sandbox's statuses carry them through sent, delivered and read, so the demo has
 * a finished campaign with its funnel. A second start leaves it (perhaps changed by hand) alone.
 */
@Component
class DemoCampaign {

    static final String NAME = "Dispatch notice: festive orders";
    private static final Logger log = LoggerFactory.getLogger(DemoCampaign.class);
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final CampaignService campaigns;
    private final TemplateService templates;
    private final ConnectionService connections;

    DemoCampaign(CampaignService campaigns, TemplateService templates, ConnectionService connections) {
        this.campaigns = campaigns;
        this.templates = templates;
        this.connections = connections;
    }

    @Order(50)
    @EventListener
    void demo(DemoData demo) {
        demo.entries().put("campaign", NAME);
    }

    /** After the customers' conversations are in (their contacts exist, and Meera has opted out). */
    @Order(60)
    @EventListener
    void seeded(DemoConversationsSeeded demo) {
        Actor owner = Actor.member(demo.workspaceId(), Role.OWNER, demo.ownerId(), "Demo");
        AfterCommit.run(() -> {
            Thread thread = new Thread(() -> send(owner), "demo-campaign");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private void send(Actor owner) {
        try (TenantContext.Scope ignored = TenantContext.enter(owner)) {
            if (campaigns.list(null, CampaignService.MAX_PAGE).items().stream().anyMatch(c -> c.name().equals(NAME))) {
                return;
            }
            List<ConnectionService.View> numbers = connections.connections();
            if (numbers.isEmpty()) {
                return;
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!approved(numbers.get(0).wabaId())) {
                if (System.nanoTime() > deadline) {
                    log.warn("The demo campaign was not sent: the template order_shipped was not approved in time");
                    return;
                }
                Thread.sleep(1_000);
            }
            CampaignVariables.Spec variables = new CampaignVariables.Spec(List.of(), List.of(
                    new CampaignVariables.Param("FIELD", "firstName", "there"),
                    new CampaignVariables.Param("TEXT", "from the festive sale", null),
                    new CampaignVariables.Param("TEXT", "Friday", null)), List.of());
            Campaign campaign = campaigns.create(new CampaignDraft(NAME, new CampaignDraft.TemplateRef("order_shipped", "en_US"), variables,
                    CampaignDraft.Audience.filter(ContactFilter.EVERYONE, List.of("replacement")), List.of(numbers.get(0).phoneNumberId()), null, null, null));
            campaigns.schedule(campaign.id(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("The demo campaign was not sent: {}", e.getMessage());
        }
    }

    private boolean approved(String wabaId) {
        Optional<Template> template = templates.find(wabaId, "order_shipped", "en_US");
        return template.isPresent() && template.get().sendable();
    }
}
