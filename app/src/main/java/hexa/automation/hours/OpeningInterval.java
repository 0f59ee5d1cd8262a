package hexa.automation.hours;

/**
 * One opening on a day, in wall-clock minutes after midnight in the workspace's time zone: {@code opens} from 0 to
 * 1439, {@code closes} after it, 1440 being the end of the day (midnight, shown as 00:00).
 */
public record OpeningInterval(int opens, int closes) implements Comparable<OpeningInterval> {

    public static final int END_OF_DAY = 24 * 60;

    public OpeningInterval {
        if (opens < 0 || opens >= END_OF_DAY || closes <= opens || closes > END_OF_DAY) {
            throw new IllegalArgumentException("Not an opening interval: " + opens + "-" + closes);
        }
    }

    public boolean contains(int minute) {
        return minute >= opens && minute < closes;
    }

    public boolean overlaps(OpeningInterval other) {
        return opens < other.closes && other.opens < closes;
    }

    /** As a time input shows it: 09:00; the end of the day is 00:00. */
    public static String clock(int minute) {
        int m = minute % END_OF_DAY;
        return String.format("%02d:%02d", m / 60, m % 60);
    }

    public String opensText() {
        return clock(opens);
    }

    public String closesText() {
        return clock(closes);
    }

    @Override
    public int compareTo(OpeningInterval other) {
        return Integer.compare(opens, other.opens);
    }
}
