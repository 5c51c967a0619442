package org.restorelab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.restorelab.report.Table3Fixtures.config;
import static org.restorelab.report.Table3Fixtures.result;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** table3.csv is RFC 4180: a name with a comma or a quote reads back as one field. */
class Table3CsvTest {

  private static List<CSVRecord> parse(String csv) throws IOException {
    return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))
        .getRecords();
  }

  @Test
  void namesWithCommasAndQuotesRoundTripWithThePapersNumberAndSixDecimals() throws IOException {
    String odd = "StoRobustGAN, lambda_R \"100\"";
    String csv = Table3Csv.of(List.of(config("toy, \"quick\"", List.of(List.of(
        result(odd, 1.0, 0.25, 0.5, 0.25, 0.125),
        result("ErraticGAN", 0.989, 0.435, 3.514, 3.137, 8.773))))));
    List<CSVRecord> rows = parse(csv);
    assertThat(rows).hasSize(2);
    CSVRecord first = rows.get(0);
    assertThat(first.size()).isEqualTo(19);
    assertThat(first.get("config")).isEqualTo("toy, \"quick\"");
    assertThat(first.get("estimator")).isEqualTo(odd);
    assertThat(first.get("stochastic")).isEqualTo("true");
    assertThat(first.get("seeds")).isEqualTo("1");
    assertThat(first.get("paper_table3")).isEmpty(); // not in the paper under that name
    assertThat(first.get("recall")).isEqualTo("0.250000");
    assertThat(first.get("recall_std")).isEmpty(); // one seed
    assertThat(first.get("exact_sensitivity_sqrt_r_x1e3")).isEqualTo("0.125000");
    assertThat(first.get("posterior_w2")).isEqualTo("0.500000"); // the fixtures' posterior numbers
    assertThat(first.get("posterior_uncovered_share")).isEqualTo("0.250000");
    CSVRecord second = rows.get(1);
    assertThat(second.get("paper_table3")).isEqualTo("3.620000");
    assertThat(second.get("sensitivity_sqrt_r_tilde_x1e3")).isEqualTo("3.514000");
    assertThat(second.get("sensitivity_sqrt_r_tilde_x1e3_exact_inputs")).isEqualTo("3.137000");
    assertThat(csv).contains("\"StoRobustGAN, lambda_R \"\"100\"\"\"").doesNotContain("\r");
  }

  @Test
  void severalSeedsGiveTheMeanAndTheSampleStd() throws IOException {
    CSVRecord row = parse(Table3Csv.of(List.of(config("seeds", List.of(
        List.of(result("ErraticGAN", 0.9, 0.4, 1.0, 1.0, 1.0)),
        List.of(result("ErraticGAN", 0.8, 0.4, 3.0, 1.0, 1.0))))))).get(0);
    assertThat(row.get("seeds")).isEqualTo("2");
    assertThat(row.get("sensitivity_sqrt_r_tilde_x1e3")).isEqualTo("2.000000");
    assertThat(row.get("sensitivity_sqrt_r_tilde_x1e3_std")).isEqualTo("1.414214"); // sqrt(((1-2)^2 + (3-2)^2) / 1)
    assertThat(row.get("precision")).isEqualTo("0.850000");
    assertThat(row.get("precision_std")).isEqualTo("0.070711");
  }
}
