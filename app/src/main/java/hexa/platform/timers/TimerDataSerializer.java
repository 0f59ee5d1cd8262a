package hexa.platform.timers;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.nio.charset.StandardCharsets;

/**
 * A timer's data is a short string (ids), kept as its UTF-8 bytes so that {@code scheduled_tasks.task_data} reads as
 * text, instead of db-scheduler's default Java serialization.
 */
final class TimerDataSerializer implements Serializer {

    static byte[] bytes(String data) {
        return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] serialize(Object data) {
        return data == null ? null : bytes(data.toString());
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] serialized) {
        if (serialized == null) {
            return null;
        }
        return type.cast(new String(serialized, StandardCharsets.UTF_8));
    }
}
