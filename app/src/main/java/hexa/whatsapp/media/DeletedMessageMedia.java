package hexa.whatsapp.media;

import hexa.whatsapp.MessageDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A message its sender deleted keeps no media: its stored file and its row go, in the transaction that deletes the
 * message's content (a file still being fetched is dropped when it arrives, see {@link MediaFetcher}).
 */
@Component
class DeletedMessageMedia {

    private final MediaLibrary library;

    DeletedMessageMedia(MediaLibrary library) {
        this.library = library;
    }

    @EventListener
    void on(MessageDeleted deleted) {
        if (deleted.type().isMedia()) {
            library.forget(deleted.messageId());
        }
    }
}
