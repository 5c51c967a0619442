package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ToyReproductionConfig;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.report.ToyReproduction.ConfigResult;
import org.restorelab.report.ToyReproduction.SeedResult;

/** Small known toy results for the Table 3 tests. */
final class Table3Fixtures {
  private Table3Fixtures() {}

  /** An estimator's result: precision, recall, sqrt(R~), sqrt(R~) on the exact inputs, exact sqrt(R) (x 1e3). */
  static ToyEvaluation.Result result(String name, double precision, double recall, double rTilde, double rTildeExact,
      double exact) {
    return new ToyEvaluation.Result(name, name.startsWith("Sto"), precision, recall, rTilde, rTildeExact, exact, 0.5, 0.25,
        null, null);
  }

  /** One config; each inner list is one seed's results (seeds 1, 2, ...). */
  static ConfigResult config(String name, List<List<ToyEvaluation.Result>> perSeed) {
    List<SeedResult> seeds = new ArrayList<>();
    for (int s = 0; s < perSeed.size(); s++) {
      seeds.add(new SeedResult(s + 1, perSeed.get(s), Map.of()));
    }
    ExperimentConfig config = ExperimentConfig.newBuilder().setName(name)
        .setToyReproduction(ToyReproductionConfig.getDefaultInstance()).build();
    return new ConfigResult(config, seeds, "figure.png");
  }
}
