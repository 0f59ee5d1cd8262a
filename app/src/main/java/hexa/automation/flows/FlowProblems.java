package hexa.automation.flows;

import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.util.List;
import org.springframework.http.HttpStatus;

/** A draft that cannot be saved or published as it is: each problem with its message key and arguments. */
class FlowProblems extends UserError {

    private final transient List<FlowDefinition.Problem> problems;

    FlowProblems(List<FlowDefinition.Problem> problems) {
        super(HttpStatus.BAD_REQUEST, "invalid_flow", "automation.flows.invalid", problems.size());
        this.problems = List.copyOf(problems);
    }

    List<FlowDefinition.Problem> problems() {
        return problems;
    }

    /** The problems as people read them. */
    List<String> texts() {
        return problems.stream().map(p -> Text.t(p.key(), p.args().toArray())).toList();
    }
}
