package hexa.automation.flows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.HtmlUtils;

/**
 * The drawing of a whole flow, made on the server as SVG: steps as boxes in layers (a step's layer is its distance from
 * the start; steps no path reaches form a last layer), branches as labelled arrows. An arrow back to an earlier or the
 * same layer goes round the side, so loops stay visible.
 */
final class FlowDiagram {

    static final int WIDTH = 170;
    static final int HEIGHT = 50;
    static final int GAP_X = 40;
    static final int GAP_Y = 70;
    static final int MARGIN = 30;

    private FlowDiagram() {
    }

    /** The SVG of the definition, with every text escaped; {@code title} names it for screen readers. */
    static String svg(FlowDefinition definition, String title) {
        Map<String, Integer> layers = definition.layers();
        Map<Integer, List<String>> rows = new LinkedHashMap<>();
        layers.forEach((id, layer) -> rows.computeIfAbsent(layer, k -> new ArrayList<>()).add(id));
        Map<String, int[]> at = new LinkedHashMap<>();
        int widest = 1;
        for (Map.Entry<Integer, List<String>> row : rows.entrySet()) {
            widest = Math.max(widest, row.getValue().size());
            for (int i = 0; i < row.getValue().size(); i++) {
                at.put(row.getValue().get(i), new int[] {MARGIN + i * (WIDTH + GAP_X), MARGIN + row.getKey() * (HEIGHT + GAP_Y)});
            }
        }
        int width = MARGIN * 2 + widest * WIDTH + (widest - 1) * GAP_X + 60;
        int height = MARGIN * 2 + Math.max(1, rows.size()) * (HEIGHT + GAP_Y);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-diagram\" role=\"img\" data-testid=\"flow-diagram\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" aria-label=\"").append(escape(title)).append("\">");
        svg.append("<title>").append(escape(title)).append("</title>");
        svg.append("<defs><marker id=\"flow-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
                .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#6c757d\"/></marker></defs>");
        for (FlowDefinition.Step step : definition.steps()) {
            int[] from = at.get(step.id());
            if (from == null) {
                continue;
            }
            for (FlowDefinition.Link link : step.links()) {
                int[] to = at.get(link.to());
                if (to == null) {
                    continue;
                }
                int x1 = from[0] + WIDTH / 2;
                int y1 = from[1] + HEIGHT;
                int x2 = to[0] + WIDTH / 2;
                int y2 = to[1];
                String path;
                int lx;
                int ly;
                if (to[1] > from[1]) {
                    path = "M " + x1 + " " + y1 + " C " + x1 + " " + (y1 + GAP_Y / 2) + ", " + x2 + " " + (y2 - GAP_Y / 2) + ", " + x2 + " " + y2;
                    lx = (x1 + x2) / 2;
                    ly = (y1 + y2) / 2;
                } else {
                    // Back to an earlier layer (a loop): round the right-hand side.
                    int side = Math.max(from[0], to[0]) + WIDTH + GAP_X / 2 + 10;
                    int ya = from[1] + HEIGHT / 2;
                    int yb = to[1] + HEIGHT / 2;
                    path = "M " + (from[0] + WIDTH) + " " + ya + " C " + side + " " + ya + ", " + side + " " + yb + ", " + (to[0] + WIDTH) + " " + yb;
                    lx = side - 10;
                    ly = (ya + yb) / 2;
                }
                svg.append("<g class=\"flow-link\" data-from=\"").append(escape(step.id())).append("\" data-to=\"").append(escape(link.to()))
                        .append("\"><path d=\"").append(path).append("\" fill=\"none\" stroke=\"#6c757d\" stroke-width=\"1.5\" marker-end=\"url(#flow-arrow)\"/>");
                if (!link.label().isEmpty()) {
                    svg.append("<text x=\"").append(lx).append("\" y=\"").append(ly).append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#343a40\"")
                            .append(" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">").append(escape(shorten(link.label(), 24))).append("</text>");
                }
                svg.append("</g>");
            }
        }
        for (FlowDefinition.Step step : definition.steps()) {
            int[] box = at.get(step.id());
            if (box == null) {
                continue;
            }
            boolean start = step.id().equals(definition.start());
            String fill = switch (step.type() == null ? "" : step.type()) {
                case "ask" -> "#fff3cd";
                case "branch" -> "#e2e3f3";
                case "handover" -> "#d1e7dd";
                case "end" -> "#e9ecef";
                default -> "#ffffff";
            };
            svg.append("<g class=\"flow-step\" data-step=\"").append(escape(step.id())).append("\">")
                    .append("<rect x=\"").append(box[0]).append("\" y=\"").append(box[1]).append("\" width=\"").append(WIDTH).append("\" height=\"")
                    .append(HEIGHT).append("\" rx=\"8\" fill=\"").append(fill).append("\" stroke=\"").append(start ? "#0d6efd" : "#adb5bd")
                    .append("\" stroke-width=\"").append(start ? 2 : 1).append("\"/>")
                    .append("<text x=\"").append(box[0] + WIDTH / 2).append("\" y=\"").append(box[1] + 20)
                    .append("\" font-size=\"13\" font-weight=\"600\" text-anchor=\"middle\">").append(escape(shorten(step.id(), 22))).append("</text>")
                    .append("<text x=\"").append(box[0] + WIDTH / 2).append("\" y=\"").append(box[1] + 38)
                    .append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#495057\">").append(escape(summary(step))).append("</text></g>");
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private static String summary(FlowDefinition.Step step) {
        String type = step.type() == null ? "?" : step.type();
        String text = step.message() != null && step.message().text() != null ? step.message().text() : "";
        return shorten(text.isEmpty() ? type : type + ": " + text, 26);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String escape(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s, "UTF-8");
    }
}
