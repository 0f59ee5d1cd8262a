package hexa.contacts.imports;

import java.util.List;

/**
 * Cells of a CSV we hand out, written so that a spreadsheet shows them and never runs them: a cell
 * starting with {@code =}, {@code +}, {@code -} or {@code @} (or a tab or carriage return, which some
 * spreadsheets skip before reading a formula) gets a leading apostrophe. Cells are quoted as RFC 4180 says.
 */
public final class SpreadsheetCells {

    private SpreadsheetCells() {
    }

    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        char first = cell.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            return "'" + cell;
        }
        return cell;
    }

    /** One CSV line (ending in CRLF) of neutralised, quoted-where-needed cells. */
    public static String line(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String cell = neutralise(cells.get(i));
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                line.append(cell);
            }
        }
        return line.append("\r\n").toString();
    }
}
