package hexa.privacy;

import hexa.platform.access.Permission;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.PageBanners;
import hexa.platform.web.Shell;
import hexa.platform.web.Text;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.stereotype.Component;

/** While a workspace is being closed, every page says when it will be deleted; Owners get the link to keep it. */
@Component
class ClosingBanner implements PageBanners {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private final WorkspaceClosings closings;

    ClosingBanner(WorkspaceClosings closings) {
        this.closings = closings;
    }

    @Override
    public List<Banner> bannersFor(Shell shell) {
        return closings.of(shell.workspaceId()).map(closing -> {
            String date = DATE.format(closing.deleteAfter().atZone(shell.timeZone() == null ? java.time.ZoneOffset.UTC : shell.timeZone()));
            boolean owner = TenantContext.current().map(a -> a.can(Permission.MANAGE_PRIVACY)).orElse(false);
            return List.of(new Banner("closing-banner", Text.t("privacy.closing.banner", closing.requestedByName(), date),
                    owner ? "/settings/privacy/close" : null, owner ? Text.t("privacy.closing.banner.keep") : null));
        }).orElse(List.of());
    }
}
