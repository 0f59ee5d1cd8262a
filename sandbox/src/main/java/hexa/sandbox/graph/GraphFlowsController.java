package hexa.sandbox.graph;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.flows.Flow;
import hexa.sandbox.flows.Flows;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET} and {@code POST /{version}/{waba-id}/flows}: the WABA's WhatsApp Flows. */
@RestController
@RequestMapping("${hexa.sandbox.graph-path:}/{version:v\\d+\\.0}/{wabaId}/flows")
public class GraphFlowsController {

    private final GraphAuthentication authentication;
    private final Flows flows;

    public GraphFlowsController(GraphAuthentication authentication, Flows flows) {
        this.authentication = authentication;
        this.flows = flows;
    }

    @GetMapping
    public ResponseEntity<String> list(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String wabaId) {
        authentication.waba(authorization, wabaId, "get");
        ObjectNode body = SandboxJson.object();
        ArrayNode data = body.putArray("data");
        for (Flow flow : flows.of(wabaId)) {
            data.add(flow.toJson());
        }
        // Everything fits in one page; the cursors only keep Meta's shape.
        ObjectNode cursors = body.putObject("paging").putObject("cursors");
        cursors.put("before", cursor(0));
        cursors.put("after", cursor(Math.max(0, data.size() - 1)));
        return GraphResponses.ok(body);
    }

    /** Meta's answer: {@code {"id": "<flow id>", "success": true, "validation_errors": []}}. */
    @PostMapping
    public ResponseEntity<String> create(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String wabaId, @RequestBody(required = false) byte[] request) {
        authentication.waba(authorization, wabaId, "post");
        Flow flow = flows.create(wabaId, GraphResponses.parse(request));
        ObjectNode body = SandboxJson.object();
        body.put("id", flow.id());
        body.put("success", true);
        body.putArray("validation_errors");
        return GraphResponses.ok(body);
    }

    private static String cursor(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
    }
}
