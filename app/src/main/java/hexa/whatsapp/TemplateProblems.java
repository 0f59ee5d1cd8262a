package hexa.whatsapp;

import hexa.platform.web.UserError;
import java.util.List;
import org.springframework.http.HttpStatus;

/** A template that breaks Meta's rules: every problem with its field; nothing was sent to Meta. */
public class TemplateProblems extends UserError {

    private final transient List<TemplateChecks.Problem> problems;

    public TemplateProblems(List<TemplateChecks.Problem> problems) {
        super(HttpStatus.BAD_REQUEST, "invalid_template", problems.get(0).key(), problems.get(0).args().toArray());
        this.problems = List.copyOf(problems);
    }

    public List<TemplateChecks.Problem> problems() {
        return problems;
    }

    /** The field of the first problem, as the API names it. */
    public String field() {
        return problems.get(0).field();
    }
}
