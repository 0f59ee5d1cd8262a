package hexa.platform.privacy;

import java.util.List;
import java.util.UUID;

/**
 * A customer being erased: their contact in a workspace and the identities WhatsApp knows them by, so that rows which
 * name the person only by number (a raw webhook body, a status's recipient, an import row) are found too.
 *
 * @param identities the contact's phone number in E.164 without the plus, its WhatsApp id and its WhatsApp user id
 *                   (those it has)
 */
public record ErasedPerson(UUID tenantId, UUID contactId, List<String> identities) {

    public ErasedPerson {
        identities = List.copyOf(identities);
    }
}
