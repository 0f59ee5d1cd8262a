package hexa.inbox;

/** A line of the conversation view: a day separator, a message, or a private note. */
public record ThreadEntry(String day, ThreadMessage message, Note note) {

    public static ThreadEntry day(String day) {
        return new ThreadEntry(day, null, null);
    }

    public static ThreadEntry message(ThreadMessage message) {
        return new ThreadEntry(null, message, null);
    }

    public static ThreadEntry note(Note note) {
        return new ThreadEntry(null, null, note);
    }
}
