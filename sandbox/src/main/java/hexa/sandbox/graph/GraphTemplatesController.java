package hexa.sandbox.graph;

import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.templates.Template;
import hexa.sandbox.templates.Templates;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET}, {@code POST} and {@code DELETE /{version}/{waba-id}/message_templates}. */
@RestController
@RequestMapping("${hexa.sandbox.graph-path:}/{version:v\\d+\\.0}/{wabaId}/message_templates")
public class GraphTemplatesController {

    private final GraphAuthentication authentication;
    private final Templates templates;

    public GraphTemplatesController(GraphAuthentication authentication, Templates templates) {
        this.authentication = authentication;
        this.templates = templates;
    }

    @GetMapping
    public ResponseEntity<String> list(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String wabaId, @RequestParam(value = "name", required = false) String name) {
        authentication.waba(authorization, wabaId, "get");
        ObjectNode body = SandboxJson.object();
        ArrayNode data = body.putArray("data");
        List<Template> all = templates.of(wabaId);
        for (Template template : all) {
            if (name == null || template.name().equals(name)) {
                data.add(template.toJson());
            }
        }
        // Everything fits in one page; the cursors only keep Meta's shape.
        ObjectNode cursors = body.putObject("paging").putObject("cursors");
        cursors.put("before", cursor(0));
        cursors.put("after", cursor(Math.max(0, data.size() - 1)));
        return GraphResponses.ok(body);
    }

    @PostMapping
    public ResponseEntity<String> create(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String wabaId, @RequestBody(required = false) byte[] request) {
        authentication.waba(authorization, wabaId, "post");
        Template template = templates.submit(wabaId, GraphResponses.parse(request));
        ObjectNode body = SandboxJson.object();
        body.put("id", template.id());
        body.put("status", template.status());
        body.put("category", template.category());
        return GraphResponses.ok(body);
    }

    @DeleteMapping
    public ResponseEntity<String> delete(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String wabaId, @RequestParam(value = "name", required = false) String name) {
        authentication.waba(authorization, wabaId, "delete");
        if (name == null) {
            throw GraphError.requiredParameter("name");
        }
        if (!templates.delete(wabaId, name)) {
            throw GraphError.invalidParameter("Message template \"" + name + "\" not found.");
        }
        return GraphResponses.success();
    }

    private static String cursor(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
    }
}
