package hexa.inbox;

import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.SendService;
import hexa.whatsapp.media.MediaUpload;
import hexa.whatsapp.media.MediaUploads;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.multipart.MultipartFile;

/** What the inbox's composer sends beyond text: several files in one go, in order, with one caption. */
@Service
class Composer {

    private final ConversationService conversations;
    private final MediaUploads uploads;
    private final SendService sending;
    private final ConnectionService connections;

    Composer(ConversationService conversations, MediaUploads uploads, SendService sending, ConnectionService connections) {
        this.conversations = conversations;
        this.uploads = uploads;
        this.sending = sending;
        this.connections = connections;
    }

    /**
     * Checks every file against Meta's limits, then queues one message per file; a file that is
     * refused refuses the whole batch (one transaction), so nothing half-sent is left behind.
     */
    @Transactional
    public List<UUID> sendFiles(UUID conversationId, List<MultipartFile> files, String caption) {
        Conversation conversation = conversations.get(conversationId);
        List<MultipartFile> present = files == null ? List.of() : files.stream().filter(f -> f != null && !f.isEmpty()).toList();
        if (present.isEmpty()) {
            throw hexa.platform.web.UserError.invalid("whatsapp.send.attachments-missing", SendService.MAX_ATTACHMENTS);
        }
        if (present.size() > SendService.MAX_ATTACHMENTS) {
            throw hexa.platform.web.UserError.invalid("whatsapp.send.attachments-too-many", SendService.MAX_ATTACHMENTS);
        }
        List<String> ids = new ArrayList<>();
        for (MultipartFile file : present) {
            MediaUpload upload = uploads.upload(file, file.getSize(), file.getContentType(), file.getOriginalFilename());
            ids.add(upload.id().toString());
        }
        if (conversation.status() == Conversation.Status.RESOLVED) {
            conversations.reopen(conversationId);
        }
        return sending.sendAttachments(new SendService.Attachments(null, conversation.contactId().toString(),
                connections.connection(conversation.connectionId()).phoneNumberId(), ids, caption));
    }
}
