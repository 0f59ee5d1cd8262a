package hexa.sandbox.messages;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import hexa.sandbox.numbers.BusinessNumber;

/** Each number's messages-per-second limit (Meta: 80 by default); above it Meta answers 130429. */
@Component
public class Throughput {

    private static final class Window {
        long second;
        int count;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Takes one unit of this second's capacity; false when the number is at its limit. */
    public boolean tryTake(BusinessNumber number) {
        return tryTake(number, System.currentTimeMillis() / 1000);
    }

    /** As {@link #tryTake(BusinessNumber)} in the given second (epoch seconds), so a caller counts the send in the same one. */
    public boolean tryTake(BusinessNumber number, long second) {
        Window window = windows.computeIfAbsent(number.phoneNumberId(), id -> new Window());
        synchronized (window) {
            if (second > window.second) {
                window.second = second;
                window.count = 0;
            }
            if (window.count >= number.messagesPerSecond()) {
                return false;
            }
            window.count++;
            return true;
        }
    }
}
