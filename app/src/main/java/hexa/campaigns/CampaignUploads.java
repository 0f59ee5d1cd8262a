package hexa.campaigns;

import hexa.contacts.ConsentService;
import hexa.contacts.ContactService;
import hexa.contacts.PhoneNumbers;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.WorkspaceService;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Component;

/**
 * A campaign's audience from a file (CSV with a header row): each row's number (column {@code phone}, {@code number},
 * {@code mobile} or {@code whatsapp}, in any common spelling, read in the workspace's country) is matched to its contact,
 * and a contact is created for a number the workspace does not know; a {@code consent} column (yes/no, opted_in/opted_out,
 * true/false…) is recorded as each contact's marketing consent, from an import. All through contacts' public services, a
 * few statements for the whole file. Rows without a usable number are skipped and counted.
 */
@Component
class CampaignUploads {

    static final int MAX_ROWS = 100_000;
    private static final Set<String> PHONE = Set.of("phone", "number", "mobile", "whatsapp", "phonenumber", "phone_number", "phone number", "wa_id");
    private static final Set<String> CONSENT = Set.of("consent", "optin", "opt-in", "opt_in", "marketing", "subscribed", "marketingconsent");
    private static final Set<String> YES = Set.of("yes", "y", "true", "1", "opted_in", "optin", "opt-in", "subscribed", "ja", "si", "oui");
    private static final Set<String> NO = Set.of("no", "n", "false", "0", "opted_out", "optout", "opt-out", "unsubscribed", "nein", "non");

    private final ContactService contacts;
    private final ConsentService consent;
    private final WorkspaceService workspaces;
    private final Clock clock;

    CampaignUploads(ContactService contacts, ConsentService consent, WorkspaceService workspaces, Clock clock) {
        this.contacts = contacts;
        this.consent = consent;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /** What a file gave: its contacts (each once, in file order) and how many rows had no usable number. */
    record Read(List<UUID> contactIds, int rows, int skipped) {
    }

    /** Reads the file, matches and creates contacts, records consent; in the caller's transaction. */
    Read read(String csv, String fileName) {
        String country = workspaces.current().defaultCountry();
        List<String> waIds = new ArrayList<>();
        Map<String, ConsentService.Status> consents = new LinkedHashMap<>();
        int rows = 0;
        int skipped = 0;
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).get())) {
            String phoneColumn = column(parser.getHeaderNames(), PHONE);
            if (phoneColumn == null) {
                throw UserError.invalid("campaigns.invalid.upload-no-phone");
            }
            String consentColumn = column(parser.getHeaderNames(), CONSENT);
            for (CSVRecord record : parser) {
                if (++rows > MAX_ROWS) {
                    throw UserError.invalid("campaigns.invalid.upload-too-long", MAX_ROWS);
                }
                PhoneNumbers.Reading number = PhoneNumbers.read(record.isSet(phoneColumn) ? record.get(phoneColumn) : null, country);
                if (!number.valid()) {
                    skipped++;
                    continue;
                }
                waIds.add(number.waId());
                if (consentColumn != null && record.isSet(consentColumn)) {
                    String written = record.get(consentColumn).strip().toLowerCase(Locale.ROOT);
                    if (YES.contains(written)) {
                        consents.put(number.waId(), ConsentService.Status.OPTED_IN);
                    } else if (NO.contains(written)) {
                        consents.put(number.waId(), ConsentService.Status.OPTED_OUT);
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw UserError.invalid("campaigns.invalid.upload-unreadable");
        }
        List<String> distinct = waIds.stream().distinct().toList();
        if (distinct.isEmpty()) {
            throw UserError.invalid("campaigns.invalid.upload-empty");
        }
        List<UUID> ids = contacts.identifyAll(distinct.stream().map(w -> new WhatsAppIdentity(w, null, null)).toList());
        Map<UUID, ConsentService.Status> wanted = new LinkedHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            ConsentService.Status status = consents.get(distinct.get(i));
            if (status != null) {
                wanted.put(ids.get(i), status);
            }
        }
        Actor actor = TenantContext.actor();
        consent.recordEach(TenantContext.tenantId(), wanted, ConsentService.Source.IMPORT, actor.userId() != null ? actor.userId() : actor.tokenId(),
                fileName, true, clock.instant());
        return new Read(ids.stream().distinct().toList(), rows, skipped);
    }

    private static String column(List<String> headers, Set<String> names) {
        for (String header : headers) {
            if (names.contains(header.strip().toLowerCase(Locale.ROOT))) {
                return header;
            }
        }
        return null;
    }
}
