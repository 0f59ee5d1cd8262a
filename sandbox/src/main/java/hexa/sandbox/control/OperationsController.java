package hexa.sandbox.control;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxProperties;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.access.SandboxCaller;
import hexa.sandbox.access.SandboxCallers;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import tools.jackson.databind.JsonNode;

/**
 * Load runs, counters, behaviour switches and the sandbox clock. Changing any of them needs the control token or an
 * Owner or Admin; a person sees the runs and counters of their workspace's numbers only. Load runs are bounded
 * ({@code hexa.sandbox.max-load-*}), so that one request cannot occupy the server for ever.
 */
@RestController
@RequestMapping("/sandbox/api")
public class OperationsController {

    private final LoadGenerator load;
    private final SandboxNumbers numbers;
    private final SandboxStats stats;
    private final SandboxSwitches switches;
    private final SandboxClock clock;
    private final SandboxProperties properties;
    private final ObjectProvider<SandboxCallers> callers;

    public OperationsController(LoadGenerator load, SandboxNumbers numbers, SandboxStats stats, SandboxSwitches switches,
            SandboxClock clock, SandboxProperties properties, ObjectProvider<SandboxCallers> callers) {
        this.properties = properties;
        this.callers = callers;
        this.load = load;
        this.numbers = numbers;
        this.stats = stats;
        this.switches = switches;
        this.clock = clock;
    }

    /** {@code {"customers":N,"messagesPerCustomer":M,"messagesPerSecond":R}} plus optional phoneNumberId, text, customerPrefix. */
    @PostMapping("/load")
    public ResponseEntity<String> startLoad(@RequestBody(required = false) byte[] body) {
        SandboxCaller caller = SandboxCaller.current();
        caller.requireOperator();
        JsonNode request = ControlJson.parse(body);
        long customers = request.path("customers").asLong(0);
        long each = request.path("messagesPerCustomer").asLong(0);
        double rate = request.path("messagesPerSecond").asDouble(0);
        if (customers < 1 || each < 1 || rate <= 0) {
            throw ControlError.badRequest("customers, messagesPerCustomer and messagesPerSecond must be positive.");
        }
        if (customers > properties.getMaxLoadMessages() || each > properties.getMaxLoadMessages()
                || customers * each > properties.getMaxLoadMessages()) {
            throw ControlError.badRequest("A load run sends at most " + properties.getMaxLoadMessages() + " messages (customers × messagesPerCustomer); "
                    + customers + " × " + each + " is more. Nothing was started.");
        }
        if (rate > properties.getMaxLoadRate()) {
            throw ControlError.badRequest(String.format(Locale.ROOT, "A load run sends at most %.0f messages per second; %.0f is more. Nothing was started.",
                    properties.getMaxLoadRate(), rate));
        }
        String prefix = SandboxJson.text(request, "customerPrefix");
        if (prefix == null || !prefix.matches("[0-9]{1,7}")) {
            prefix = "1999";
        }
        String text = SandboxJson.text(request, "text");
        BusinessNumber number = ControlApiController.number(caller, numbers, SandboxJson.text(request, "phoneNumberId"));
        LoadRun run = load.start(number, (int) customers, (int) each, rate, prefix, text == null ? "Load test message" : text,
                properties.getMaxRunningLoads());
        if (run == null) {
            throw new ControlError(409, "busy", properties.getMaxRunningLoads() + " load runs are going on already; wait for one to end"
                    + " or cancel it (DELETE /sandbox/api/load/{id}). Nothing was started.");
        }
        changed(caller, "sandbox.load_started", number.phoneNumberId() + ": " + run.total() + " messages");
        return ControlJson.created(view(run));
    }

    @GetMapping("/load/{runId}")
    public ResponseEntity<String> loadRun(@PathVariable String runId) {
        LoadRun run = visibleRun(runId);
        if (run == null) {
            throw ControlError.notFound("No load run " + runId);
        }
        return ControlJson.ok(view(run));
    }

    @DeleteMapping("/load/{runId}")
    public ResponseEntity<String> cancelLoad(@PathVariable String runId) {
        LoadRun run = visibleRun(runId);
        if (run == null) {
            throw ControlError.notFound("No load run " + runId);
        }
        SandboxCaller.current().requireOperator();
        run.cancel();
        return ControlJson.ok(view(run));
    }

    /** Every counter; with {@code phoneNumberId}, only what that business number did (accepted, uploads, read receipts). */
    @GetMapping("/stats")
    public ResponseEntity<String> stats(@RequestParam(required = false) String phoneNumberId) {
        SandboxCaller caller = SandboxCaller.current();
        if (caller.control() && phoneNumberId != null && !phoneNumberId.isBlank()) {
            return ControlJson.ok(stats.snapshotOf(phoneNumberId));
        }
        if (!caller.control()) {
            // A person sees the counters of their own numbers only, never the sandbox's totals.
            return ControlJson.ok(stats.snapshotOf(ControlApiController.number(caller, numbers, phoneNumberId).phoneNumberId()));
        }
        Map<String, Object> out = stats.snapshot();
        out.put("clockOffsetSeconds", clock.offset().getSeconds());
        return ControlJson.ok(out);
    }

    @DeleteMapping("/stats")
    public ResponseEntity<String> resetStats() {
        SandboxCaller.current().requireControl("Resetting every counter of the sandbox");
        stats.reset();
        return ControlJson.ok(stats.snapshot());
    }

    @GetMapping("/switches")
    public ResponseEntity<String> switches() {
        return ControlJson.ok(switchValues());
    }

    /** Changes any subset of the switches; unknown names and wrong types are refused as a whole. */
    @PatchMapping("/switches")
    public ResponseEntity<String> changeSwitches(@RequestBody(required = false) byte[] body) {
        SandboxCaller caller = SandboxCaller.current();
        caller.requireOperator();
        JsonNode request = ControlJson.parse(body);
        Map<Field, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : request.properties()) {
            Field field = switchField(entry.getKey());
            changes.put(field, convert(field, entry.getValue()));
        }
        try {
            for (Map.Entry<Field, Object> change : changes.entrySet()) {
                change.getKey().set(switches, change.getValue());
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        changed(caller, "sandbox.switches_changed", request.toString());
        return ControlJson.ok(switchValues());
    }

    /** {@code {"advanceSeconds": N}} moves the sandbox's clock forward, e.g. past a 24-hour window. */
    @PostMapping("/clock")
    public ResponseEntity<String> advanceClock(@RequestBody(required = false) byte[] body) {
        SandboxCaller caller = SandboxCaller.current();
        caller.requireOperator();
        long seconds = ControlJson.parse(body).path("advanceSeconds").asLong(0);
        if (seconds < 0) {
            throw ControlError.badRequest("The clock only moves forward.");
        }
        clock.advance(Duration.ofSeconds(seconds));
        changed(caller, "sandbox.clock_advanced", seconds + " s");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", clock.now().toString());
        out.put("offsetSeconds", clock.offset().getSeconds());
        return ControlJson.ok(out);
    }

    private Map<String, Object> view(LoadRun run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id());
        out.put("customers", run.customers());
        out.put("messagesPerCustomer", run.messagesPerCustomer());
        out.put("messagesPerSecond", run.messagesPerSecond());
        out.put("total", run.total());
        out.put("sent", run.sent());
        out.put("refused", run.refused.get());
        out.put("done", run.finishedAt() != null);
        out.put("startedAt", run.startedAt().toString());
        out.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        return out;
    }

    private Map<String, Object> switchValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            for (Field field : SandboxSwitches.class.getFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    out.put(field.getName(), field.get(switches));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Field switchField(String name) {
        try {
            Field field = SandboxSwitches.class.getField(name);
            if (Modifier.isStatic(field.getModifiers())) {
                throw new NoSuchFieldException(name);
            }
            return field;
        } catch (NoSuchFieldException e) {
            throw ControlError.badRequest("Unknown switch " + name);
        }
    }

    private static Object convert(Field field, JsonNode value) {
        Class<?> type = field.getType();
        if (type == String.class && (value.isString() || value.isNull())) {
            return value.isNull() ? null : value.asString();
        }
        if (value.isNumber()) {
            if (type == long.class) {
                return value.asLong();
            }
            if (type == int.class) {
                return value.asInt();
            }
            if (type == double.class) {
                return value.asDouble();
            }
        }
        throw ControlError.badRequest("Switch " + field.getName() + " needs a " + type.getSimpleName() + " value");
    }

    /** A run the caller may see: the control token sees all, a person those on their workspace's numbers. */
    private LoadRun visibleRun(String runId) {
        LoadRun run = load.find(runId);
        return run != null && SandboxCaller.current().sees(run.phoneNumberId()) ? run : null;
    }

    private void changed(SandboxCaller caller, String action, String detail) {
        SandboxCallers host = callers.getIfAvailable();
        if (host != null && !caller.control()) {
            host.changed(caller, action, detail);
        }
    }
}
