package hexa.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.RequestContextUtils;

/** Builds the {@link Page} of a request: for every page, and for error pages too. */
@Component
public class Pages {

    static final String NOTICE = "notice";
    static final String NOTICE_KIND = "noticeKind";
    static final String NOTICE_LINK = "noticeLink";
    static final String NOTICE_LINK_TEXT = "noticeLinkText";

    private final ShellSource shells;
    private final java.util.List<PageBanners> banners;

    Pages(ShellSource shells, java.util.List<PageBanners> banners) {
        this.shells = shells;
        this.banners = banners;
    }

    public Page of(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        String notice = flash == null ? null : (String) flash.get(NOTICE);
        String kind = flash == null || flash.get(NOTICE_KIND) == null ? "success" : (String) flash.get(NOTICE_KIND);
        Shell shell = shells.shellFor(request).orElse(null);
        java.util.List<PageBanners.Banner> shown = shell == null || !shell.inWorkspace() ? java.util.List.of()
                : banners.stream().flatMap(b -> b.bannersFor(shell).stream()).toList();
        return new Page(csrf == null ? "_csrf" : csrf.getParameterName(), csrf == null ? "" : csrf.getToken(),
                shell, request.getRequestURI(), notice, kind,
                flash == null ? null : (String) flash.get(NOTICE_LINK), flash == null ? null : (String) flash.get(NOTICE_LINK_TEXT), shown);
    }
}
