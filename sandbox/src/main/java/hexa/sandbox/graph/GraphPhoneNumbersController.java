package hexa.sandbox.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.BusinessProfile;
import hexa.sandbox.numbers.SandboxNumbers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /{waba-id}/phone_numbers} and the business profile of a number. */
@RestController
@RequestMapping("${hexa.sandbox.graph-path:}/{version:v\\d+\\.0}")
public class GraphPhoneNumbersController {

    private static final Set<String> VERTICALS = Set.of("UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU",
            "ENTERTAIN", "EVENT_PLAN", "FINANCE", "GROCERY", "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES",
            "RETAIL", "TRAVEL", "RESTAURANT", "NOT_A_BIZ");

    private final GraphAuthentication authentication;
    private final SandboxNumbers numbers;

    public GraphPhoneNumbersController(GraphAuthentication authentication, SandboxNumbers numbers) {
        this.authentication = authentication;
        this.numbers = numbers;
    }

    @GetMapping("/{wabaId}/phone_numbers")
    public ResponseEntity<String> phoneNumbers(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String wabaId) {
        authentication.waba(authorization, wabaId, "get");
        ObjectNode body = SandboxJson.object();
        ArrayNode data = body.putArray("data");
        for (BusinessNumber number : numbers.ofWaba(wabaId)) {
            data.add(PhoneNumberViews.of(number));
        }
        ObjectNode cursors = body.putObject("paging").putObject("cursors");
        cursors.put("before", "QVFIUk");
        cursors.put("after", "QVFIUk");
        return GraphResponses.ok(body);
    }

    @GetMapping("/{phoneNumberId}/whatsapp_business_profile")
    public ResponseEntity<String> profile(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String phoneNumberId) {
        BusinessProfile profile = authentication.number(authorization, phoneNumberId, "get").profile();
        ObjectNode body = SandboxJson.object();
        ObjectNode entry = body.putArray("data").addObject();
        entry.put("about", profile.about);
        entry.put("address", profile.address);
        entry.put("description", profile.description);
        entry.put("email", profile.email);
        entry.put("profile_picture_url", profile.profilePictureUrl);
        ArrayNode websites = entry.putArray("websites");
        profile.websites.forEach(websites::add);
        entry.put("vertical", profile.vertical);
        entry.put("messaging_product", "whatsapp");
        return GraphResponses.ok(body);
    }

    @PostMapping("/{phoneNumberId}/whatsapp_business_profile")
    public ResponseEntity<String> updateProfile(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String phoneNumberId, @RequestBody(required = false) byte[] request) {
        BusinessProfile profile = authentication.number(authorization, phoneNumberId, "post").profile();
        JsonNode update = GraphResponses.parse(request);
        if (SandboxJson.text(update, "messaging_product") == null) {
            throw GraphError.requiredParameter("messaging_product");
        }
        String about = limited(update, "about", 139);
        String address = limited(update, "address", 256);
        String description = limited(update, "description", 512);
        String email = limited(update, "email", 128);
        String vertical = SandboxJson.text(update, "vertical");
        if (vertical != null && !VERTICALS.contains(vertical)) {
            throw GraphError.invalidParameter("Param vertical must be one of " + VERTICALS);
        }
        List<String> websites = null;
        if (update.has("websites")) {
            websites = new ArrayList<>();
            for (JsonNode site : update.get("websites")) {
                websites.add(site.asString());
            }
            if (websites.size() > 2) {
                throw GraphError.invalidParameter("A business profile has at most 2 websites.");
            }
        }
        // Apply only after every field passed, so a bad request changes nothing.
        if (about != null) {
            profile.about = about;
        }
        if (address != null) {
            profile.address = address;
        }
        if (description != null) {
            profile.description = description;
        }
        if (email != null) {
            profile.email = email;
        }
        if (vertical != null) {
            profile.vertical = vertical;
        }
        if (websites != null) {
            profile.websites = websites;
        }
        return GraphResponses.success();
    }

    private static String limited(JsonNode update, String field, int max) {
        String value = SandboxJson.text(update, field);
        if (value != null && value.length() > max) {
            throw GraphError.invalidParameter("Param " + field + " must be at most " + max + " characters long.");
        }
        return value;
    }
}
