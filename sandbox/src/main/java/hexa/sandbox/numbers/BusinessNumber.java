package hexa.sandbox.numbers;

/**
 * A WhatsApp business phone number hosted by the sandbox: its identity in the Graph API, the access
 * token that may use it, and where its webhooks go.
 */
public class BusinessNumber {

    private final String phoneNumberId;
    private final String wabaId;
    private final String displayPhoneNumber;
    private final String verifiedName;
    private final BusinessProfile profile = new BusinessProfile();
    private volatile String accessToken;
    private volatile int messagesPerSecond;
    /** Unique customers per rolling 24 hours (250, 2000, 10000, 100000), 0 for unlimited. */
    private volatile int messagingLimit;
    private volatile WebhookTarget webhookTarget;

    public BusinessNumber(String phoneNumberId, String wabaId, String displayPhoneNumber, String verifiedName,
            String accessToken, int messagesPerSecond, WebhookTarget webhookTarget) {
        this.phoneNumberId = phoneNumberId;
        this.wabaId = wabaId;
        this.displayPhoneNumber = displayPhoneNumber;
        this.verifiedName = verifiedName;
        this.accessToken = accessToken;
        this.messagesPerSecond = messagesPerSecond;
        this.webhookTarget = webhookTarget;
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    public String wabaId() {
        return wabaId;
    }

    /** Digits only, as in webhook {@code metadata.display_phone_number}. */
    public String displayPhoneNumber() {
        return displayPhoneNumber;
    }

    /** The way the Graph API's phone number object writes it, e.g. "+1 555-078-3881". */
    public String formattedPhoneNumber() {
        String d = displayPhoneNumber;
        if (d.length() == 11 && d.startsWith("1")) {
            return "+1 " + d.substring(1, 4) + "-" + d.substring(4, 7) + "-" + d.substring(7);
        }
        return "+" + d;
    }

    public String verifiedName() {
        return verifiedName;
    }

    public BusinessProfile profile() {
        return profile;
    }

    public String accessToken() {
        return accessToken;
    }

    void changeAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    public void changeMessagesPerSecond(int messagesPerSecond) {
        this.messagesPerSecond = messagesPerSecond;
    }

    /** Unique customers the number may message outside a service window per rolling 24 hours; 0: unlimited. */
    public int messagingLimit() {
        return messagingLimit;
    }

    public void changeMessagingLimit(int messagingLimit) {
        this.messagingLimit = Math.max(0, messagingLimit);
    }

    /** Meta's name of the messaging limit, as {@code whatsapp_business_manager_messaging_limit} gives it. */
    public String messagingLimitTier() {
        return switch (messagingLimit) {
            case 0 -> "TIER_UNLIMITED";
            case 2000 -> "TIER_2K";
            case 10000 -> "TIER_10K";
            case 100000 -> "TIER_100K";
            default -> "TIER_" + messagingLimit;
        };
    }

    public WebhookTarget webhookTarget() {
        return webhookTarget;
    }

    void changeWebhookTarget(WebhookTarget webhookTarget) {
        this.webhookTarget = webhookTarget;
    }
}
