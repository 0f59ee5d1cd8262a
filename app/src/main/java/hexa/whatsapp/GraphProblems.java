package hexa.whatsapp;

import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphErrorExplanation;
import hexa.whatsapp.graph.GraphErrors;
import org.springframework.http.HttpStatus;

/** A Graph API failure told to people: in plain words, or as the error a page or the API answers. */
final class GraphProblems {

    private GraphProblems() {
    }

    static String describe(GraphApiException failure) {
        return describe(GraphErrors.explain(failure));
    }

    static String describe(GraphErrorExplanation explanation) {
        return Text.t(explanation.key(), explanation.arguments().toArray());
    }

    static UserError asUserError(GraphApiException failure, HttpStatus status) {
        GraphErrorExplanation explanation = GraphErrors.explain(failure);
        return new UserError(status, "graph_error", explanation.key(), explanation.arguments().toArray());
    }
}
