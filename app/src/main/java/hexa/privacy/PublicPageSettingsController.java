package hexa.privacy;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.PublicUrl;
import hexa.platform.web.UserError;
import hexa.whatsapp.DownloadLinks;
import hexa.whatsapp.VerificationCodes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Privacy → Public page: the business's privacy text, the rule for requests, their due period, and the
 * page's public address (also the data deletion instructions URL and callback for the Meta app).
 */
@Controller
class PublicPageSettingsController {

    private final PublicPages pages;
    private final PublicUrl publicUrl;
    private final VerificationCodes codes;
    private final RetentionSettings retention;
    private final DownloadLinks links;

    PublicPageSettingsController(PublicPages pages, PublicUrl publicUrl, VerificationCodes codes, RetentionSettings retention, DownloadLinks links) {
        this.links = links;
        this.pages = pages;
        this.publicUrl = publicUrl;
        this.codes = codes;
        this.retention = retention;
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @GetMapping("/settings/privacy/public-page")
    String settings(Model model) {
        PublicPages.Settings settings = pages.settings();
        model.addAttribute("settings", settings);
        model.addAttribute("address", publicUrl.shown() + settings.path());
        model.addAttribute("callback", publicUrl.shown() + settings.path() + "/meta-data-deletion");
        model.addAttribute("codeTemplate", codes.templateStatus().orElse(""));
        model.addAttribute("linkTemplate", links.templateStatus().orElse(""));
        model.addAttribute("preview", PrivacyText.html(settings.text(), PublicPrivacyController.placeholders(retention.periods(settings.tenantId()), settings)));
        model.addAttribute("maxText", PublicPages.MAX_TEXT);
        model.addAttribute("maxDueDays", PublicPages.MAX_DUE_DAYS);
        return "privacy/public-page-settings";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/public-page")
    String save(@RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "") String rule,
                @RequestParam(defaultValue = "") String dueDays, RedirectAttributes redirect) {
        try {
            pages.save(text, rule, dueDays);
            Notices.success(redirect, "privacy.public-page.saved");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        try {
            // The request form needs its WhatsApp templates (the code, the export's link); submitting them is harmless when they are there.
            codes.prepare();
            links.prepare();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(PublicPageSettingsController.class).warn("The verification code template could not be prepared: {}", e.toString());
        }
        return "redirect:/settings/privacy/public-page";
    }
}
