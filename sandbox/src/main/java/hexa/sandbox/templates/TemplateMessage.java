package hexa.sandbox.templates;

import java.util.ArrayList;
import java.util.List;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.graph.GraphError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A template send checked against its approved template, and rendered the way the phone shows it. */
public final class TemplateMessage {

    private TemplateMessage() {
    }

    /** 132000 when a header or body gets a different number of parameters than its template has. */
    public static void checkParameters(Template template, JsonNode send) {
        for (String type : new String[] {"header", "body"}) {
            int expected = template.expectedParameters(type);
            int given = parameters(send, type).size();
            if (given != expected) {
                throw GraphError.parameterCountMismatch(type, given, expected);
            }
        }
    }

    /** What the customer sees: header, body and footer texts with parameters filled in, and buttons. */
    public static ObjectNode render(Template template, JsonNode send) {
        ObjectNode rendered = SandboxJson.object();
        JsonNode header = template.component("HEADER");
        if (header != null) {
            String format = SandboxJson.text(header, "format");
            List<JsonNode> params = parameters(send, "header");
            if (format == null || "TEXT".equalsIgnoreCase(format)) {
                rendered.put("header", Template.fill(SandboxJson.text(header, "text"), texts(params)));
            } else if (!params.isEmpty()) {
                JsonNode media = params.get(0).get(params.get(0).path("type").asString(""));
                ObjectNode headerMedia = rendered.putObject("headerMedia");
                headerMedia.put("type", format.toLowerCase(java.util.Locale.ROOT));
                if (media != null) {
                    headerMedia.set("media", media);
                }
            }
        }
        JsonNode body = template.component("BODY");
        if (body != null) {
            rendered.put("body", Template.fill(SandboxJson.text(body, "text"), texts(parameters(send, "body"))));
        }
        JsonNode footer = template.component("FOOTER");
        if (footer != null) {
            rendered.put("footer", SandboxJson.text(footer, "text"));
        }
        JsonNode buttons = template.component("BUTTONS");
        if (buttons != null) {
            var out = rendered.putArray("buttons");
            int index = 0;
            for (JsonNode button : buttons.path("buttons")) {
                ObjectNode b = out.addObject();
                String buttonType = SandboxJson.text(button, "type");
                b.put("type", buttonType);
                b.put("text", SandboxJson.text(button, "text"));
                b.put("payload", quickReplyPayload(send, index, SandboxJson.text(button, "text")));
                if ("URL".equalsIgnoreCase(buttonType)) {
                    // A dynamic URL ends with {{1}}, filled by the send's button component of the same index.
                    b.put("url", Template.fill(SandboxJson.text(button, "url"), texts(buttonParameters(send, index))));
                } else if ("PHONE_NUMBER".equalsIgnoreCase(buttonType)) {
                    b.put("phoneNumber", SandboxJson.text(button, "phone_number"));
                } else if ("COPY_CODE".equalsIgnoreCase(buttonType)) {
                    for (JsonNode p : buttonParameters(send, index)) {
                        if (SandboxJson.text(p, "coupon_code") != null) {
                            b.put("code", SandboxJson.text(p, "coupon_code"));
                        }
                    }
                }
                index++;
            }
        }
        return rendered;
    }

    private static List<JsonNode> buttonParameters(JsonNode send, int index) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode component : send.path("components")) {
            if ("button".equalsIgnoreCase(SandboxJson.text(component, "type"))
                    && Integer.toString(index).equals(component.path("index").asString(""))) {
                for (JsonNode p : component.path("parameters")) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static String quickReplyPayload(JsonNode send, int index, String fallback) {
        for (JsonNode component : send.path("components")) {
            if ("button".equalsIgnoreCase(SandboxJson.text(component, "type"))
                    && Integer.toString(index).equals(SandboxJson.text(component, "index"))) {
                for (JsonNode p : component.path("parameters")) {
                    String payload = SandboxJson.text(p, "payload");
                    if (payload != null) {
                        return payload;
                    }
                }
            }
        }
        return fallback;
    }

    private static List<JsonNode> parameters(JsonNode send, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode component : send.path("components")) {
            if (type.equalsIgnoreCase(SandboxJson.text(component, "type"))) {
                for (JsonNode p : component.path("parameters")) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<String> texts(List<JsonNode> params) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : params) {
            String type = p.path("type").asString("text");
            String value;
            switch (type) {
                case "currency":
                case "date_time":
                    value = SandboxJson.text(p.path(type), "fallback_value");
                    break;
                default:
                    value = SandboxJson.text(p, "text");
            }
            out.add(value == null ? "" : value);
        }
        return out;
    }
}
