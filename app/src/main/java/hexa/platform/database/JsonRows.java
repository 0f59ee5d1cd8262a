package hexa.platform.database;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Many rows handed to PostgreSQL as one JSON parameter and read there with
 * {@code json_to_recordset(cast(:rows as json)) as r(column type, ...)}: a whole batch is written or
 * looked up in one statement whose text does not depend on how many rows it carries.
 */
public final class JsonRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ArrayNode rows = JSON.createArrayNode();

    public Row add() {
        return new Row(rows.addObject());
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    /** The rows as the JSON text to bind. */
    public String json() {
        return JSON.writeValueAsString(rows);
    }

    /** One row: columns by name; a null stays SQL null. */
    public static final class Row {
        private final ObjectNode row;

        private Row(ObjectNode row) {
            this.row = row;
        }

        public Row put(String column, String value) {
            row.put(column, value);
            return this;
        }

        public Row put(String column, UUID value) {
            row.put(column, value == null ? null : value.toString());
            return this;
        }

        public Row put(String column, Instant value) {
            row.put(column, value == null ? null : value.toString());
            return this;
        }

        public Row put(String column, boolean value) {
            row.put(column, value);
            return this;
        }

        public Row put(String column, int value) {
            row.put(column, value);
            return this;
        }
    }
}
