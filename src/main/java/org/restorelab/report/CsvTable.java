package org.restorelab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The reports' CSV files ({@code table1.csv}, {@code table3.csv}) through Apache Commons CSV:
 * RFC 4180 quoting (a name with a comma, a quote or a line break reads back as one field), "\n"
 * between records, numbers with six decimals and an empty field for a value that is not defined.
 */
final class CsvTable {
  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

  private CsvTable() {}

  /** The header record, then one record per row. */
  static String of(List<String> header, List<? extends List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    try (CSVPrinter printer = new CSVPrinter(sb, FORMAT)) {
      printer.printRecord(header);
      for (List<String> row : rows) {
        printer.printRecord(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not throw
    }
    return sb.toString();
  }

  /** {@code v} with six decimals; empty for NaN (not defined). */
  static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }
}
