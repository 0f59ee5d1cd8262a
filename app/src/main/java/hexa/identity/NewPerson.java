package hexa.identity;

import hexa.platform.web.UserError;
import java.util.regex.Pattern;

/** Name, email and password of someone creating an account, checked. */
record NewPerson(String name, String email, String password) {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    public static NewPerson of(String name, String email, String password) {
        return new NewPerson(validName(name), validEmail(email), password);
    }

    static String validName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 120) {
            throw UserError.invalid("person.name.invalid");
        }
        return trimmed;
    }

    static String validEmail(String email) {
        String trimmed = email == null ? "" : email.strip();
        if (trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
            throw UserError.invalid("person.email.invalid");
        }
        return trimmed;
    }
}
