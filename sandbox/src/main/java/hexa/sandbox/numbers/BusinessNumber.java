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

    public WebhookTarget webhookTarget() {
        return webhookTarget;
    }

    void changeWebhookTarget(WebhookTarget webhookTarget) {
        this.webhookTarget = webhookTarget;
    }
}
