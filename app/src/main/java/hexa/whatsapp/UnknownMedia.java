package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A send naming an upload that is not one of the workspace's. */
public final class UnknownMedia extends UserError {

    public UnknownMedia(String uploadId) {
        super(HttpStatus.NOT_FOUND, "unknown_media", "whatsapp.send.media-unknown", uploadId);
    }
}
