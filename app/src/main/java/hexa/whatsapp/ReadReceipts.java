package hexa.whatsapp;

import hexa.platform.database.AfterCommit;
import hexa.platform.web.NotFoundException;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read receipts: when an agent opens a conversation with unread messages, the customer is told
 * (Meta's mark-as-read names the latest message and marks the earlier ones too). Each message is
 * marked once, however often the conversation is opened; the receipt is sent in the background and
 * retried, so opening a conversation never waits for Meta or fails because of it.
 */
@Service
public class ReadReceipts {

    private final MessageHistory messages;
    private final ReadReceiptRows receipts;
    private final ReadReceiptSender sender;
    private final Clock clock;

    ReadReceipts(MessageHistory messages, ReadReceiptRows receipts, ReadReceiptSender sender, Clock clock) {
        this.messages = messages;
        this.receipts = receipts;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * What opening a conversation did.
     *
     * @param newlyRead  how many of the customer's messages the team had not seen until now
     * @param whatsappId the customer's message the read receipt names, or null when there was nothing new to mark
     * @param receipt    that receipt's state: pending, sent, superseded or failed; null without one
     */
    public record Opened(UUID conversationId, int newlyRead, String whatsappId, String receipt) {
    }

    /** An agent opened the conversation: its unread messages are now read by the team, and the customer is told. */
    @Transactional
    public Opened conversationOpened(UUID conversationId) {
        if (!messages.conversationExists(conversationId)) {
            throw new NotFoundException();
        }
        MessageHistory.ReadByTeam read = messages.markReadByTeam(conversationId);
        if (read.latestWamid() == null) {
            return new Opened(conversationId, read.newlyRead(), null, null);
        }
        if (receipts.queue(conversationId, read.connectionId(), read.latestWamid(), clock.instant())) {
            AfterCommit.run(sender::wake);
        }
        String state = receipts.state(read.latestWamid()).map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        return new Opened(conversationId, read.newlyRead(), read.latestWamid(), state);
    }
}
