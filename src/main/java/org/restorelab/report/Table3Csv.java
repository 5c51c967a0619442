package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.report.ToyReproduction.ConfigResult;

/**
 * The toy reproduction's numbers as CSV ({@code table3.csv}, through {@link CsvTable}): one record
 * per config and estimator with the paper's sqrt(R~) x 1e3 (empty where the paper has none) and
 * each metric of results.json under the same name, as the mean over the config's seeds with its
 * sample standard deviation in {@code <metric>_std} (empty for one seed).
 */
public final class Table3Csv {
  private Table3Csv() {}

  public static String of(List<ConfigResult> configs) {
    List<String> header = new ArrayList<>(List.of("config", "estimator", "stochastic", "seeds", "paper_table3"));
    for (String key : ToyReproduction.METRICS.keySet()) {
      header.add(key);
      header.add(key + "_std");
    }
    List<List<String>> rows = new ArrayList<>();
    for (ConfigResult c : configs) {
      for (int i = 0; i < c.results().size(); i++) {
        ToyEvaluation.Result r = c.results().get(i);
        Double paper = ToyReproduction.PAPER_TABLE3.get(r.name());
        List<String> row = new ArrayList<>(List.of(c.config().getName(), r.name(), Boolean.toString(r.stochastic()),
            Integer.toString(c.seeds().size()), CsvTable.number(paper == null ? Double.NaN : paper)));
        for (String key : ToyReproduction.METRICS.keySet()) {
          ToyReproduction.Spread s = ToyReproduction.spread(c, i, key);
          row.add(CsvTable.number(s.mean()));
          row.add(CsvTable.number(s.std()));
        }
        rows.add(row);
      }
    }
    return CsvTable.of(header, rows);
  }
}
