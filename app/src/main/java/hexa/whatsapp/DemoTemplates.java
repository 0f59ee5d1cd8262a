package hexa.whatsapp;

import hexa.platform.DemoData;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code ./hexa run --demo}: two templates of the demo shop, submitted through Settings → Templates' own service and
 * approved by the sandbox's review a few seconds later: a marketing one with an image header and a link button, and
 * a utility one. A second start leaves them (perhaps changed by hand) alone.
 */
@Component
class DemoTemplates {

    private static final Logger log = LoggerFactory.getLogger(DemoTemplates.class);

    static final TemplateDraft SPRING_SALE = new TemplateDraft("spring_sale", "en_US", "MARKETING", "IMAGE", "",
            "https://demo-shop.example/spring-sale.jpg",
            "Hello {{1}}, our spring sale has started: {{2}} off everything until Sunday.", Map.of("1", "Asha", "2", "20%"),
            "Reply STOP to receive no more offers", List.of(new TemplateDraft.Button("URL", "Shop the sale", "https://demo-shop.example/sale/{{1}}",
            "https://demo-shop.example/sale/spring", ""), new TemplateDraft.Button("QUICK_REPLY", "Stop promotions", "", "", "")), false, null);

    static final TemplateDraft ORDER_SHIPPED = new TemplateDraft("order_shipped", "en_US", "UTILITY", "TEXT", "Your order is on its way", "",
            "Hi {{1}}, your order {{2}} has shipped and should arrive on {{3}}.", Map.of("1", "Asha", "2", "A-1042", "3", "Friday"),
            "Demo Shop", List.of(new TemplateDraft.Button("QUICK_REPLY", "Where is my order?", "", "", "")), false, null);

    private final TemplateManagement management;
    private final TemplateService templates;

    DemoTemplates(TemplateManagement management, TemplateService templates) {
        this.management = management;
        this.templates = templates;
    }

    /** After the demo number is connected. */
    @Order(30)
    @EventListener
    void demo(DemoData demo) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(demo.workspaceId(), Role.OWNER, demo.ownerId(), demo.ownerName()))) {
            List<TemplateManagement.Account> accounts = management.accounts();
            if (accounts.isEmpty()) {
                return;
            }
            String wabaId = accounts.get(0).wabaId();
            for (TemplateDraft draft : List.of(SPRING_SALE, ORDER_SHIPPED)) {
                if (templates.find(wabaId, draft.name(), draft.language()).isEmpty()) {
                    try {
                        management.create(wabaId, draft);
                    } catch (RuntimeException e) {
                        log.warn("The demo template {} was not submitted: {}", draft.name(), e.getMessage());
                    }
                }
            }
        }
        demo.entries().put("templates", List.of(SPRING_SALE.name(), ORDER_SHIPPED.name()));
    }
}
