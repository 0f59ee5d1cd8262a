package hexa.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The form as shown: the draft, its problems by field, the accounts to choose from, and how many button rows. */
public record TemplateForm(UUID id, String wabaId, TemplateDraft draft, Map<String, String> errors, List<TemplateManagement.Account> accounts,
                   int buttonRows, String status) {
    public boolean editing() {
        return id != null;
    }

    public String error(String field) {
        return errors.get(field);
    }

    public TemplateDraft.Button button(int i) {
        return i < draft.buttons().size() ? draft.buttons().get(i) : new TemplateDraft.Button("", "", "", "", "");
    }

    /** Problems of a button row, in one line. */
    public String buttonError(int i) {
        List<String> out = new ArrayList<>();
        errors.forEach((field, message) -> {
            if (field.startsWith("buttons." + i + ".")) {
                out.add(message);
            }
        });
        return out.isEmpty() ? null : String.join(" ", out);
    }
}
