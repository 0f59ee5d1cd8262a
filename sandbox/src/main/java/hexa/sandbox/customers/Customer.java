package hexa.sandbox.customers;

import java.util.regex.Pattern;

/**
 * A simulated WhatsApp user. Most have a phone number ({@code wa_id}); since 2026 some are known to a
 * business only by a business-scoped user id ({@code user_id}) with the phone number withheld.
 */
public class Customer {

    private static final Pattern BUSINESS_SCOPED_USER_ID = Pattern.compile("[A-Z]{2}\\.[A-Za-z0-9]{1,128}");

    private volatile String waId;
    private volatile String userId;
    private volatile String profileName;
    private volatile boolean undeliverable;
    private volatile boolean marketingExperiment;

    public Customer(String waId, String userId, String profileName) {
        this.waId = waId;
        this.userId = userId;
        this.profileName = profileName;
    }

    public static boolean isBusinessScopedUserId(String id) {
        return id != null && BUSINESS_SCOPED_USER_ID.matcher(id).matches();
    }

    /** The key the sandbox files the customer under: the phone number, else the user id. */
    public String key() {
        return waId != null ? waId : userId;
    }

    public String waId() {
        return waId;
    }

    void changeWaId(String waId) {
        this.waId = waId;
    }

    public String userId() {
        return userId;
    }

    public void changeUserId(String userId) {
        this.userId = userId;
    }

    public String profileName() {
        return profileName;
    }

    public void rename(String profileName) {
        if (profileName != null && !profileName.isBlank()) {
            this.profileName = profileName;
        }
    }

    /** Messages to an undeliverable customer fail with 131026 (not on WhatsApp, old client...). */
    public boolean undeliverable() {
        return undeliverable;
    }

    public void markUndeliverable(boolean undeliverable) {
        this.undeliverable = undeliverable;
    }

    /** A person in Meta's marketing experiment receives no marketing templates (130472). */
    public boolean inMarketingExperiment() {
        return marketingExperiment;
    }

    public void markInMarketingExperiment(boolean marketingExperiment) {
        this.marketingExperiment = marketingExperiment;
    }
}
