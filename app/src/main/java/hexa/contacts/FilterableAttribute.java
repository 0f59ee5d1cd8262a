package hexa.contacts;

import java.util.List;

/**
 * A custom attribute as the contact list knows it (from {@code contact_attributes}): what filters may ask of it and
 * which column of an export holds it. Its type decides the conditions: text and list {@code equals}/{@code contains},
 * number {@code equals}, date {@code equals}/{@code before}/{@code after}, checkbox {@code checked}/{@code unchecked}.
 */
public record FilterableAttribute(String key, String label, String type, List<String> options) {

    public List<String> operators() {
        switch (type) {
            case "checkbox":
                return List.of("checked", "unchecked");
            case "date":
                return List.of("equals", "before", "after");
            case "number":
                return List.of("equals");
            default:
                return List.of("equals", "contains");
        }
    }
}
