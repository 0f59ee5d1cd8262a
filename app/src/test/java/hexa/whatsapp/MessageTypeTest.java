package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageTypeTest {

    @Test
    void meta_names_map_to_types_and_back() {
        for (MessageType type : MessageType.values()) {
            assertThat(MessageType.of(type.json())).isEqualTo(type);
        }
        assertThat(MessageType.of("Image")).isEqualTo(MessageType.IMAGE);
        assertThat(MessageType.IMAGE.json()).isEqualTo("image");
    }

    @Test
    void a_name_not_known_here_is_unsupported_as_meta_calls_it() {
        assertThat(MessageType.of("unknown")).isEqualTo(MessageType.UNSUPPORTED);
        assertThat(MessageType.of("poll")).isEqualTo(MessageType.UNSUPPORTED);
        assertThat(MessageType.of(null)).isEqualTo(MessageType.UNSUPPORTED);
    }

    @Test
    void the_file_carrying_types_are_media() {
        assertThat(java.util.Arrays.stream(MessageType.values()).filter(MessageType::isMedia))
                .containsExactlyInAnyOrder(MessageType.IMAGE, MessageType.AUDIO, MessageType.VIDEO, MessageType.DOCUMENT, MessageType.STICKER);
    }
}
