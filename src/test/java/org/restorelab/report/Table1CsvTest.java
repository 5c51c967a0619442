package org.restorelab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.restorelab.evaluate.ImageEvaluation;

/** table1.csv is RFC 4180: a model name with a comma or a quote reads back as one field. */
class Table1CsvTest {

  @Test
  void namesWithCommasAndQuotesRoundTripAndNumbersKeepSixDecimals() throws IOException {
    ImageEvaluation.Result odd = new ImageEvaluation.Result("StoRobustGAN, lambda_R \"100\"", true, false,
        12.5, 0.8, 0.25, 0.01, Double.NaN, 32.94, 100, 512, 5000, 1, null, Double.NaN);
    ImageEvaluation.Result plain = new ImageEvaluation.Result("ErraticGAN", false, false,
        520.53, 0.867, 0.0002, 0, 11.07, 32.94, 100, 512, 5000, 1, null, Double.NaN);
    String csv = Table1.csv(List.of(odd, plain));
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(csv)).getRecords();
    assertThat(rows).hasSize(2);
    CSVRecord first = rows.stream().filter(r -> r.get("model").startsWith("StoRobust")).findFirst().orElseThrow();
    assertThat(first.get("model")).isEqualTo("StoRobustGAN, lambda_R \"100\"");
    assertThat(first.size()).isEqualTo(11);
    assertThat(first.get("fid")).isEqualTo("12.500000");
    assertThat(first.get("robustness_db")).isEmpty(); // not defined
    CSVRecord second = rows.stream().filter(r -> r.get("model").equals("ErraticGAN")).findFirst().orElseThrow();
    assertThat(second.get("recall")).isEqualTo("0.000200");
    assertThat(second.get("stochastic")).isEqualTo("false");
    assertThat(csv).contains("\"StoRobustGAN, lambda_R \"\"100\"\"\"").doesNotContain("\r");
  }
}
