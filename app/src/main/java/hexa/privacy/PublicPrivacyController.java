package hexa.privacy;

import hexa.identity.WorkspaceService;
import hexa.platform.access.Public;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.PublicUrl;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.MetaSignedRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's public privacy page ({@code /privacy/{key}}, no sign-in): its text with the retention periods, and
 * the request form (number and choice → a code on WhatsApp → the code), each request's status page, and Meta's data
 * deletion callback. An unknown key is not found. Nothing here tells a visitor whether the workspace knows a number.
 */
@Controller
class PublicPrivacyController {

    private final PublicPages pages;
    private final RequestCodes codes;
    private final PrivacyRequests requests;
    private final RetentionSettings retention;
    private final WorkspaceService workspaces;
    private final MetaSignedRequests signedRequests;
    private final PersonExports exports;
    private final PublicUrl publicUrl;
    private final Clock clock;

    PublicPrivacyController(PublicPages pages, RequestCodes codes, PrivacyRequests requests, RetentionSettings retention, WorkspaceService workspaces,
                            MetaSignedRequests signedRequests, PersonExports exports, PublicUrl publicUrl, Clock clock) {
        this.pages = pages;
        this.codes = codes;
        this.requests = requests;
        this.retention = retention;
        this.workspaces = workspaces;
        this.signedRequests = signedRequests;
        this.exports = exports;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Public
    @GetMapping("/privacy/{key}")
    String page(@PathVariable String key, Model model) {
        PublicPages.Settings settings = settings(key);
        return page(settings, model, null, "", "", null);
    }

    /** Step 1 → 2: a code for the number (if it is known), the same answer either way. */
    @Public
    @PostMapping("/privacy/{key}/code")
    String code(@PathVariable String key, @RequestParam(defaultValue = "") String number, @RequestParam(defaultValue = "") String kind,
                HttpServletRequest request, HttpServletResponse response, Model model) {
        PublicPages.Settings settings = settings(key);
        try (TenantContext.Scope ignored = enter(settings)) {
            RequestCodes.Attempt attempt = codes.start(number, kind, request.getRemoteAddr());
            return page(settings, model, attempt.id().toString(), number, attempt.kind().value(), null);
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return page(settings, model, null, number, kind, e.text());
        }
    }

    /** Step 2 → the request: the right code records it and leads to its status page. */
    @Public
    @PostMapping("/privacy/{key}/verify")
    String verify(@PathVariable String key, @RequestParam(defaultValue = "") String attempt, @RequestParam(defaultValue = "") String code,
                  HttpServletResponse response, Model model) {
        PublicPages.Settings settings = settings(key);
        try (TenantContext.Scope ignored = enter(settings)) {
            PrivacyRequests.Request received = requests.followRule(codes.verify(attempt, code));
            return "redirect:" + settings.path() + "/requests/" + received.confirmationCode();
        } catch (UserError e) {
            response.setStatus(e.status().value());
            boolean stillOpen;
            try (TenantContext.Scope ignored = enter(settings)) {
                stillOpen = codes.attempt(attempt).isPresent();
            }
            return page(settings, model, stillOpen ? attempt : null, "", "", e.text());
        }
    }

    @Public
    @GetMapping("/privacy/{key}/requests/{code}")
    String status(@PathVariable String key, @PathVariable String code, Model model) {
        PublicPages.Settings settings = settings(key);
        try (TenantContext.Scope ignored = enter(settings)) {
            PrivacyRequests.Request request = requests.refresh(requests.byCode(code).orElseThrow(NotFoundException::new));
            model.addAttribute("settings", settings);
            model.addAttribute("workspaceName", workspaces.current().name());
            model.addAttribute("request", request);
            model.addAttribute("now", clock.instant());
            return "privacy/request-status";
        }
    }

    /** The finished export, for 24 hours after it was ready, to whoever holds the request's unguessable code. */
    @Public
    @GetMapping("/privacy/{key}/requests/{code}/download")
    ResponseEntity<InputStreamResource> download(@PathVariable String key, @PathVariable String code) {
        PublicPages.Settings settings = settings(key);
        try (TenantContext.Scope ignored = enter(settings)) {
            PrivacyRequests.Request request = requests.refresh(requests.byCode(code).orElseThrow(NotFoundException::new));
            if (!request.downloadable(clock.instant())) {
                throw new NotFoundException();
            }
            InputStream file = exports.open(request.exportJobId()).orElseThrow(NotFoundException::new);
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"personal-data.zip\"")
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").body(new InputStreamResource(file));
        }
    }

    /**
     * Meta's data deletion callback: a {@code signed_request} signed with the app secret of one of the workspace's
     * connections records an erasure request (following the workspace's rule) and answers where its status is; anything
     * else is refused with 400 and records nothing.
     */
    @Public
    @PostMapping(value = "/privacy/{key}/meta-data-deletion", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, String>> metaDataDeletion(@PathVariable String key, @RequestParam(name = "signed_request", defaultValue = "") String signedRequest) {
        Optional<PublicPages.Settings> found = pages.byKey(key);
        if (found.isEmpty()) {
            return ResponseEntity.status(404).body(Map.of("code", "not_found", "message", Text.t("error.not-found")));
        }
        PublicPages.Settings settings = found.get();
        try (TenantContext.Scope ignored = enter(settings)) {
            Optional<JsonNode> payload = signedRequests.verify(signedRequest);
            if (payload.isEmpty()) {
                return ResponseEntity.badRequest().body(Map.of("code", "invalid_signed_request", "message", Text.t("privacy.meta.invalid")));
            }
            // Meta names the person by the app-scoped user id; a WhatsApp user id of a contact matches it, anything else is
            // someone the workspace holds nothing about.
            String userId = payload.get().path("user_id").asString("");
            PrivacyRequests.Request received = requests.followRule(requests.receive(PrivacyRequests.Kind.ERASURE,
                    requests.contactOfMetaUser(userId).orElse(null), null, PrivacyRequests.Source.META_CALLBACK));
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("url", publicUrl.shown() + settings.path() + "/requests/" + received.confirmationCode());
            answer.put("confirmation_code", received.confirmationCode());
            return ResponseEntity.ok(answer);
        }
    }

    private String page(PublicPages.Settings settings, Model model, String attempt, String number, String kind, String error) {
        try (TenantContext.Scope ignored = enter(settings)) {
            RetentionSettings.Periods periods = retention.periods(settings.tenantId());
            model.addAttribute("settings", settings);
            model.addAttribute("workspaceName", workspaces.current().name());
            model.addAttribute("text", PrivacyText.html(settings.text(), placeholders(periods, settings)));
            model.addAttribute("periods", periods);
            model.addAttribute("attempt", attempt);
            model.addAttribute("number", number);
            model.addAttribute("kind", kind);
            model.addAttribute("error", error);
            model.addAttribute("codeMinutes", RequestCodes.VALIDITY.toMinutes());
            return "privacy/public-page";
        }
    }

    /** The values the business's text may name in braces. */
    static Map<String, String> placeholders(RetentionSettings.Periods periods, PublicPages.Settings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("messageDays", days(periods.messageDays()));
        values.put("contactDays", days(periods.contactInactiveDays()));
        values.put("logDays", days(periods.logDays()));
        values.put("webhookDays", days(periods.webhookBodyDays()));
        values.put("dueDays", days(settings.dueDays()));
        return values;
    }

    static String days(Integer days) {
        return days == null ? Text.t("privacy.public.kept") : Text.t("privacy.public.days", days);
    }

    private PublicPages.Settings settings(String key) {
        return pages.byKey(key).orElseThrow(NotFoundException::new);
    }

    private static TenantContext.Scope enter(PublicPages.Settings settings) {
        return TenantContext.enter(Actor.system(settings.tenantId(), Text.t("privacy.public.actor")));
    }
}
