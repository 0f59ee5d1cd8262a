package hexa.platform.timers;

/**
 * What a module does when one of its timers fires: one bean per timer kind. {@link #fire} runs once per firing on one
 * node, in a transaction of its own; when it throws, the timer fires again later. It must work out again whether there
 * is still something to do (the conversation may have been answered meanwhile), since timers are cheap to leave set.
 */
public interface TimerHandler {

    /** The kind of timer it handles, unique in the application (for example {@code automation.rule}). */
    String kind();

    /** Does the work of the timer {@code key}; {@code data} is what was given when it was set. */
    void fire(String key, String data);
}
