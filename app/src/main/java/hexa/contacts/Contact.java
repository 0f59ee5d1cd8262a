package hexa.contacts;

import java.util.UUID;

/** A person the workspace talks to on WhatsApp. */
public record Contact(UUID id, String name, String profileName, String phoneE164, String waId, String whatsappUserId) {

    /** What people see: the name the business gave, else the WhatsApp profile name, else the number. */
    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        if (profileName != null && !profileName.isBlank()) {
            return profileName;
        }
        return phoneE164 != null ? phoneE164 : whatsappUserId;
    }
}
