package hexa.privacy;

import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import java.util.Map;
import java.util.UUID;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finds the approved export requests whose file is ready, every minute, so that the person gets their link on
 * WhatsApp without anyone opening a page. A request is closed by one conditional update, so on several app nodes only
 * one of them sends the link.
 */
@Component
class FinishedExports {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FinishedExports.class);

    private final PrivacyRequests requests;

    FinishedExports(PrivacyRequests requests) {
        this.requests = requests;
    }

    @Scheduled(fixedDelayString = "${hexa.privacy.finished-exports-sweep:60s}", initialDelayString = "${hexa.privacy.finished-exports-sweep:60s}")
    void sweep() {
        for (Map.Entry<UUID, UUID> request : requests.approvedExports()) {
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(request.getKey(), Text.t("privacy.public.actor")))) {
                requests.refresh(requests.byId(request.getValue()));
            } catch (RuntimeException e) {
                log.warn("Export request {} could not be checked: {}", request.getValue(), e.toString());
            }
        }
    }
}
