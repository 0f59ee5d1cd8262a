package hexa.contacts;

/**
 * Who wrote, as WhatsApp names them: the WhatsApp id (digits, usually the phone number), and since
 * 2026 a business-scoped user id that may come alone when the person withholds their number.
 */
public record WhatsAppIdentity(String waId, String userId, String profileName) {

    public WhatsAppIdentity {
        waId = blankToNull(waId);
        userId = blankToNull(userId);
        profileName = blankToNull(profileName);
        if (waId == null && userId == null) {
            throw new IllegalArgumentException("A WhatsApp identity needs a wa_id or a user id");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
