package hexa.sandbox.graph;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.numbers.BusinessNumber;
import tools.jackson.databind.node.ObjectNode;

/** The Graph API's phone number object. */
final class PhoneNumberViews {

    private PhoneNumberViews() {
    }

    static ObjectNode of(BusinessNumber number) {
        ObjectNode node = SandboxJson.object();
        node.put("verified_name", number.verifiedName());
        node.put("code_verification_status", "VERIFIED");
        node.put("display_phone_number", number.formattedPhoneNumber());
        node.put("quality_rating", "GREEN");
        node.put("platform_type", "CLOUD_API");
        node.putObject("throughput").put("level", number.messagesPerSecond() > 80 ? "HIGH" : "STANDARD");
        node.put("whatsapp_business_manager_messaging_limit", number.messagingLimitTier());
        node.put("id", number.phoneNumberId());
        return node;
    }
}
