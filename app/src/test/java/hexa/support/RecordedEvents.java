package hexa.support;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;

/**
 * Every domain event the modules publish (records of {@code hexa.*} that name their workspace), as published, so
 * that a test can read what one workspace's actions told the rest of the product. It listens in the publishing
 * thread and keeps no publication of its own.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RecordedEvents {

    private final List<Record> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(Object event) {
        if (event instanceof Record record && record.getClass().getName().startsWith("hexa.")) {
            events.add(record);
        }
    }

    /** The events of one workspace, in the order they were published. */
    public List<Record> of(UUID tenantId) {
        return events.stream().filter(e -> tenantId.equals(tenantOf(e))).toList();
    }

    /** The events of one type in one workspace, in order. */
    public <T extends Record> List<T> of(UUID tenantId, Class<T> type) {
        return of(tenantId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Object tenantOf(Record event) {
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (component.getName().equals("tenantId")) {
                try {
                    return component.getAccessor().invoke(event);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }
}
