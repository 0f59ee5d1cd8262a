package hexa.platform.web;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A one-line confirmation shown once on the page a form redirects to. */
public final class Notices {

    private Notices() {
    }

    public static void success(RedirectAttributes redirect, String messageKey, Object... args) {
        redirect.addFlashAttribute(Pages.NOTICE, Text.t(messageKey, args));
        redirect.addFlashAttribute(Pages.NOTICE_KIND, "success");
    }

    public static void warning(RedirectAttributes redirect, String messageKey, Object... args) {
        redirect.addFlashAttribute(Pages.NOTICE, Text.t(messageKey, args));
        redirect.addFlashAttribute(Pages.NOTICE_KIND, "warning");
    }

    /** A confirmation ending with a link to another page of the app ({@code path} starts with a single slash). */
    public static void successWithLink(RedirectAttributes redirect, String path, String linkKey, String messageKey, Object... args) {
        if (path == null || !path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("Not a path of the app: " + path);
        }
        success(redirect, messageKey, args);
        redirect.addFlashAttribute(Pages.NOTICE_LINK, path);
        redirect.addFlashAttribute(Pages.NOTICE_LINK_TEXT, Text.t(linkKey));
    }
}
