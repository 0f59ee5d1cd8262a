package hexa.automation.flows;

import static hexa.automation.flows.FlowRuntimeTest.ask;
import static hexa.automation.flows.FlowRuntimeTest.branch;
import static hexa.automation.flows.FlowRuntimeTest.end;
import static hexa.automation.flows.FlowRuntimeTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.automation.flows.FlowDefinition.Message;
import hexa.automation.flows.FlowDefinition.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What makes a flow unfit to publish, and how it is drawn. */
class FlowDefinitionTest {

    @Test
    void dead_ends_unknown_steps_missing_otherwise_and_unreachable_steps_are_named() {
        FlowDefinition flow = new FlowDefinition("q", List.of(
                ask("q", Message.text("Which?"), "b"),
                branch("b", List.of(new Route("reply", "x", null, "gone"), new Route("pattern", "(", null, "q")), null),
                send("dead", "Hi", null),
                new FlowDefinition.Step("q", "end", null, null, null, null, null, null, null, null, null, null, null),
                new FlowDefinition.Step("odd", "teleport", null, null, null, null, null, null, null, null, null, null, null)));
        assertThat(flow.problems()).extracting(FlowDefinition.Problem::key).contains(
                "automation.flows.problem.id-twice", "automation.flows.problem.next-unknown", "automation.flows.problem.otherwise-missing",
                "automation.flows.problem.pattern-invalid", "automation.flows.problem.dead-end", "automation.flows.problem.type-unknown",
                "automation.flows.problem.unreachable");
        assertThat(new FlowDefinition(null, List.of()).problems()).extracting(FlowDefinition.Problem::key)
                .containsExactly("automation.flows.problem.no-steps");
        assertThat(DemoFlow.orderStatus("0193a000-0000-7000-8000-000000000001").problems()).isEmpty();
    }

    @Test
    void the_diagram_lays_steps_out_by_distance_from_the_start_draws_labelled_arrows_and_escapes_text() {
        FlowDefinition flow = new FlowDefinition("q", List.of(
                ask("q", Message.text("<b>Menu</b>"), "b"),
                branch("b", List.of(new Route("reply", "again", null, "q")), "done"),
                end("done")));
        Map<String, Integer> layers = flow.layers();
        assertThat(layers).containsExactly(Map.entry("q", 0), Map.entry("b", 1), Map.entry("done", 2));
        String svg = FlowDiagram.svg(flow, "Diagram of <Menu>");
        assertThat(svg).startsWith("<svg").contains("data-step=\"q\"", "data-from=\"b\" data-to=\"q\"", ">again<", ">otherwise<")
                .contains("&lt;b&gt;Menu").doesNotContain("<b>").contains("aria-label=\"Diagram of &lt;Menu&gt;\"");
    }
}
