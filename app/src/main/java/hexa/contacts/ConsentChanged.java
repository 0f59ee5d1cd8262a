package hexa.contacts;

import java.util.UUID;

/**
 * A contact's marketing consent changed (a state it did not have before): by the customer's own words
 * ({@code keyword}), a person ({@code agent}), the API, a form or an import.
 */
public record ConsentChanged(UUID tenantId, UUID contactId, ConsentService.Status status, ConsentService.Source source) {
}
