package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

public class CliTest {
  /** A quick analytic run: few samples and repetitions. */
  static final String[] QUICK = {
    "--set", "analytic.handcrafted.repetitions=3",
    "--set", "analytic.handcrafted.support_samples=500",
    "--set", "analytic.handcrafted.precision_recall.num_samples=300",
    "--set", "analytic.ellipse.repetitions=3",
    "--set", "analytic.ellipse.support_samples=500",
    "--set", "analytic.ellipse.precision_recall.num_samples=300",
    "--set", "analytic.zigzag.num_samples=120",
    "--set", "analytic.zigzag.repetitions=2",
  };

  public record Run(int exit, String out, String err) {}

  public static Run run(String... args) {
    CommandLine cmd = RestoreLab.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("analytic", "bench", "check-gpu");
    assertThat(run("analytic", "--help").out()).contains("--config", "--set", "--seed", "--out", "--overwrite");
  }

  @Test
  void noSubcommandOrAnUnknownOptionIsAUsageError() {
    assertThat(run().exit()).isEqualTo(2);
    Run r = run("analytic", "--no-such-option");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--no-such-option");
  }

  @Test
  void aConfigWithATypoExitsWith2AndNamesTheField(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("typo.pbtxt");
    Files.writeString(config, "name: \"t\"\nanalytic {\n  zigzag { frequency: 1 num_sample: 3 }\n}\n");
    Run r = run("analytic", "--config", config.toString(), "--out", dir.resolve("out").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("restorelab: error:", config.toString(), "line 3", "num_sample");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMissingConfigFileExitsWith2(@TempDir Path dir) {
    Run r = run("analytic", "--config", dir.resolve("absent.pbtxt").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("config file not found", "absent.pbtxt");
  }

  @Test
  void anUnknownSetFieldExitsWith2(@TempDir Path dir) {
    Run r = run("analytic", "--set", "analytic.zigzag.frequencies=1", "--out", dir.resolve("o").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown field 'frequencies'", "frequency");
  }

  @Test
  void anOutOfRangeValueExitsWith2BeforeAnyOutput(@TempDir Path dir) {
    Run r = run("analytic", "--set", "analytic.handcrafted.precision_recall.k=1000", "--out", dir.resolve("o").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--set analytic.handcrafted.precision_recall.k=1000: analytic.handcrafted.precision_recall.k"
        + " = 1000: expected at most num_samples - 1 (analytic.handcrafted.precision_recall.num_samples = 1000)");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void analyticWritesAFullRunRecordAndRefusesToOverwriteIt(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("analytic");
    Run r = run(concat(new String[] {"analytic"}, concat(QUICK, "--out", out.toString())));
    assertThat(r.exit()).as(r.err()).isZero();
    r = run(concat(new String[] {"analytic"}, concat(QUICK, "--out", out.toString())));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("already holds a run", "--overwrite");
    Run again = run(concat(new String[] {"analytic"}, concat(QUICK, "--out", out.toString(), "--overwrite")));
    assertThat(again.exit()).as(again.err()).isZero();
    for (String f : new String[] {"config.pbtxt", "run.json", "results.json", "report.md",
        "figure3_handcrafted.png", "figure5_ellipse.png", "appendix_c_w2.png",
        "figure3_handcrafted.svg", "figure5_ellipse.svg", "appendix_c_w2.svg"}) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    // figure_formats is empty: PNG and SVG, no PDF
    assertThat(out.resolve("figure3_handcrafted.pdf")).doesNotExist();
    JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
    assertThat(run.get("status").getAsString()).isEqualTo("finished");
    assertThat(run.get("seed").getAsString()).isEqualTo("2023");
    assertThat(run.has("git_commit")).isTrue();
    assertThat(run.getAsJsonObject("versions").get("tensorflow_native").getAsString()).startsWith("2.");
    assertThat(run.getAsJsonObject("versions").get("java").getAsString()).startsWith("17");
    assertThat(run.has("start_time") && run.has("end_time") && run.has("host")).isTrue();
    assertThat(Files.readString(out.resolve("config.pbtxt"))).contains("num_samples: 120");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void figureFormatsSelectTheFilesAndTheReportEmbedsTheFirstOfPngSvgPdf(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("pdf");
    Run r = run(concat(new String[] {"analytic"}, concat(QUICK, "--out", out.toString(),
        "--set", "figure_formats=PDF,SVG")));
    assertThat(r.exit()).as(r.err()).isZero();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("figure5_")).sorted())
          .containsExactly("figure5_ellipse.pdf", "figure5_ellipse.svg");
    }
    assertThat(Files.readString(out.resolve("report.md"))).contains("![Figure 5](figure5_ellipse.svg)");
    JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    assertThat(results.getAsJsonObject("zigzag").get("figure").getAsString()).isEqualTo("appendix_c_w2.svg");

    Run bad = run("analytic", "--out", dir.resolve("bad").toString(), "--set", "figure_formats=JPEG");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("figure_formats", "JPEG");
    assertThat(dir.resolve("bad")).doesNotExist();
  }

  private static String numbers(Path out) throws IOException {
    JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    results.remove("seconds");
    return results.toString();
  }

  @Test
  void theSameSeedGivesTheSameNumbersAndAnotherSeedDoesNot(@TempDir Path dir) throws IOException {
    assertThat(run(concat(new String[] {"analytic"}, concat(QUICK, "--out", dir.resolve("a").toString()))).exit()).isZero();
    assertThat(run(concat(new String[] {"analytic"}, concat(QUICK, "--out", dir.resolve("b").toString()))).exit()).isZero();
    assertThat(run(concat(new String[] {"analytic"}, concat(QUICK, "--seed", "5", "--out", dir.resolve("c").toString()))).exit()).isZero();
    assertThat(numbers(dir.resolve("a"))).isEqualTo(numbers(dir.resolve("b")));
    assertThat(numbers(dir.resolve("a"))).isNotEqualTo(numbers(dir.resolve("c")));
    for (String f : new String[] {"figure3_handcrafted", "figure5_ellipse", "appendix_c_w2"}) {
      for (String ext : new String[] {".png", ".svg"}) {
        assertThat(Files.readAllBytes(dir.resolve("a/" + f + ext))).as(f + ext)
            .isEqualTo(Files.readAllBytes(dir.resolve("b/" + f + ext)));
      }
    }
  }

  @Test
  void checkGpuSaysPlainlyWhetherThereIsAGpu() {
    Run r = run("check-gpu");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("native build in use: linux-x86_64", "devices TensorFlow sees:", "CPU",
        "libcudart.so.12", "libcudnn.so.9");
    boolean gpu = CheckGpuCommand.devices().stream().anyMatch(d -> d[1].equals("GPU"));
    assertThat(r.out()).contains(gpu ? "GPU: YES" : "GPU: NO - TensorFlow sees no GPU on this machine");
  }

  @Test
  void benchMetricsMeasuresBothBackends(@TempDir Path dir) throws IOException {
    Run r = run("bench", "metrics", "--n", "256", "--dims", "2,32", "--tile", "128", "--out", dir.toString() + "/b");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject results = JsonParser.parseString(Files.readString(dir.resolve("b/results.json"))).getAsJsonObject();
    assertThat(results.get("matmul_gflops").getAsDouble()).isPositive();
    assertThat(results.getAsJsonArray("rows")).hasSize(4);
  }
}
