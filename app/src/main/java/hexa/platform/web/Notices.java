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
}
