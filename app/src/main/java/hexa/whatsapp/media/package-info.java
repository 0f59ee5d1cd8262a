/**
 * Media that customers send: {@link hexa.whatsapp.media.MediaFetcher} downloads it from Meta, checks
 * Meta's sha256 and keeps it encrypted in {@link hexa.whatsapp.media.MediaBlobs};
 * {@link hexa.whatsapp.media.MediaLibrary} answers it to the workspace's members and lets them fetch
 * it again. Every inbound media message gets its {@code media_files} row in the message's own
 * transaction from {@link hexa.whatsapp.media.InboundMediaFiles}, a listener of the channel's
 * {@code InboundMessagesReceived}. Other modules use the media a conversation shows and the uploads they send
 * (a named interface of the channel).
 */
@NamedInterface("media")
package hexa.whatsapp.media;

import org.springframework.modulith.NamedInterface;
