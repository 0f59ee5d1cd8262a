package hexa.identity;

import hexa.platform.web.PublicUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Tells the person who started Hexa CRM where to open it. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final PublicUrl publicUrl;
    private final WorkspaceService workspaces;

    StartupBanner(PublicUrl publicUrl, WorkspaceService workspaces) {
        this.publicUrl = publicUrl;
        this.workspaces = workspaces;
    }

    @Order(20)
    @EventListener(ApplicationReadyEvent.class)
    void announce(ApplicationReadyEvent event) {
        String url = publicUrl.atStartup();
        if (workspaces.setUpDone()) {
            log.info("\n\n  Hexa CRM is running. Open {}\n", url);
        } else {
            log.info("\n\n  Hexa CRM is running. Open {}/setup to create your workspace and its owner.\n", url);
        }
    }
}
