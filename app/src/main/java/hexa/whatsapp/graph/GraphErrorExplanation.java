package hexa.whatsapp.graph;

import java.util.List;

import org.springframework.context.MessageSourceResolvable;

/**
 * A Graph API failure in plain words: a key of {@code messages-whatsapp.properties} and its
 * arguments. Pass it to {@code MessageSource.getMessage(resolvable, locale)} or a template's message
 * lookup. Arguments are strings so that codes never get thousands separators ("131,047").
 */
public record GraphErrorExplanation(String key, List<String> arguments) implements MessageSourceResolvable {

    public GraphErrorExplanation {
        arguments = List.copyOf(arguments);
    }

    static GraphErrorExplanation of(String key, String... arguments) {
        return new GraphErrorExplanation(key, List.of(arguments));
    }

    @Override
    public String[] getCodes() {
        return new String[] {key};
    }

    @Override
    public Object[] getArguments() {
        return arguments.toArray();
    }
}
