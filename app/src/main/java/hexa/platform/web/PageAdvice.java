package hexa.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.support.RequestContextUtils;

/** Gives every page its {@link Page}. */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class PageAdvice {

    public static final String NOTICE = "notice";
    public static final String NOTICE_KIND = "noticeKind";

    private final ShellSource shells;

    PageAdvice(ShellSource shells) {
        this.shells = shells;
    }

    @ModelAttribute("page")
    Page page(HttpServletRequest request) {
        if (ApiPaths.isApi(request)) {
            return null;
        }
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        String notice = flash == null ? null : (String) flash.get(NOTICE);
        String kind = flash == null || flash.get(NOTICE_KIND) == null ? "success" : (String) flash.get(NOTICE_KIND);
        return new Page(csrf == null ? "_csrf" : csrf.getParameterName(), csrf == null ? "" : csrf.getToken(),
                shells.shellFor(request).orElse(null), request.getRequestURI(), notice, kind);
    }
}
