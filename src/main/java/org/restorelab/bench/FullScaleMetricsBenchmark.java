package org.restorelab.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.restorelab.config.DistanceBackend;
import org.restorelab.metric.Bfloat16Products;
import org.restorelab.metric.CandidatePrecisionRecall;
import org.restorelab.metric.Features;
import org.restorelab.metric.FrechetDistance;
import org.restorelab.metric.GaussianStatistics;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.render.MarkdownTable;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat64;

/**
 * The image metrics at the paper's scale (SPEC sections 3 and 4): precision/recall with k = 3
 * and FID on n vs n random features of dimension d (50,000 vs 50,000 of 2048 by default, the
 * size of InceptionV3 pool features for 50k images), timed phase by phase, with the FLOPs the
 * distance tiles actually computed, the rate against the matmul rate of this machine measured
 * in the same run, and the process's peak memory.
 *
 * <p>Features are standard Gaussian, real and generated drawn with different seeds from the same
 * distribution. The FID of two such sets is then its estimation bias alone, about
 * d (d + 1) / (2 (n - 1)) + 2 d / n to first order (with S_hat = I + E, FID ~ |E1 - E2|_F^2 / 4
 * plus |m1_hat - m2_hat|^2), which the report shows as a sanity check.
 */
public final class FullScaleMetricsBenchmark {
  /** Neighbours for the precision/recall radii (SPEC section 4: k = 3). */
  public static final int K = 3;
  private static final long REAL_SEED = 11;
  private static final long GENERATED_SEED = 12;
  private static final int ROWS_PER_RANDOM_BLOCK = 256;

  private FullScaleMetricsBenchmark() {}

  /**
   * One timed phase; {@code flops} counts the tiles actually computed (2 m n d each) or, for the
   * statistics, the float64 scatter MatMuls (2 n d^2); {@code fullPasses} = flops / (2 n n d).
   */
  public record Phase(String name, double seconds, long flops, long tiles, double backendSeconds,
      double fullPasses) {
    public double gflops() {
      return flops / seconds / 1e9;
    }
  }

  /** Everything measured. */
  public record Result(int n, int dim, int tile, int cores, String loadBefore, String loadAfter,
      double matmulGflopsBefore, double matmulGflopsAfter, double matmul64Gflops,
      double generationSeconds, List<Phase> precisionRecall, PrecisionRecall.Result metric,
      List<Phase> reference, PrecisionRecall.Result referenceMetric, int radiiMismatches, List<Phase> fid,
      FrechetDistance.Result frechet, PeakMemory memory, Candidates candidates) {

    /** The best float32 matmul rate measured in the run: the reference for the ratio. */
    public double matmulGflops() {
      return Math.max(matmulGflopsBefore, matmulGflopsAfter);
    }

    public Phase precisionRecallTotal() {
      return total("precision/recall total", precisionRecall);
    }

    public Phase referenceTotal() {
      return total("reference total (four full passes)", reference);
    }

    /** Whether the fast path covered exactly the points the reference path covered. */
    public boolean equalsReference() {
      return metric.equals(referenceMetric);
    }

    public Phase fidTotal() {
      return total("FID total", fid);
    }

    private Phase total(String name, List<Phase> phases) {
      return new Phase(name, phases.stream().mapToDouble(Phase::seconds).sum(),
          phases.stream().mapToLong(Phase::flops).sum(), phases.stream().mapToLong(Phase::tiles).sum(),
          phases.stream().mapToDouble(Phase::backendSeconds).sum(),
          phases.stream().mapToDouble(Phase::fullPasses).sum());
    }

    /** First-order estimation bias of the FID of two independent n-sample sets of N(0, I_d). */
    public double expectedNoiseFid() {
      return dim * (dim + 1.0) / (2.0 * (n - 1)) + 2.0 * dim / n;
    }
  }

  /**
   * The bfloat16 candidate pass ({@link CandidatePrecisionRecall}) on the same features, where
   * this machine's bfloat16 MatMul accumulates in float32 ({@code used} false and no phases
   * elsewhere): its phases (FLOPs of the bfloat16 tiles), the float64 distances it computed, the
   * points whose candidates could not prove their radius, and the bfloat16 matmul rate.
   */
  public record Candidates(boolean used, double matmulGflops, int candidates, List<Phase> phases,
      PrecisionRecall.Result metric, long exactDistances, int fallbackPoints) {
    public Phase total() {
      return new Phase("candidate pass total", phases.stream().mapToDouble(Phase::seconds).sum(),
          phases.stream().mapToLong(Phase::flops).sum(), phases.stream().mapToLong(Phase::tiles).sum(),
          phases.stream().mapToDouble(Phase::backendSeconds).sum(),
          phases.stream().mapToDouble(Phase::fullPasses).sum());
    }
  }

  /** Candidates kept per point by the bench's candidate pass (the config default). */
  public static final int CANDIDATES = 16;

  /** Standard Gaussian features, seeded; blocks of rows filled in parallel, each from its own stream. */
  public static Features randomFeatures(int n, int dim, long seed) {
    float[] data = new float[Math.multiplyExact(n, dim)];
    int blocks = (n + ROWS_PER_RANDOM_BLOCK - 1) / ROWS_PER_RANDOM_BLOCK;
    IntStream.range(0, blocks).parallel().forEach(b -> {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
      int end = Math.min(n, (b + 1) * ROWS_PER_RANDOM_BLOCK) * dim;
      for (int i = b * ROWS_PER_RANDOM_BLOCK * dim; i < end; i++) {
        data[i] = (float) random.nextGaussian();
      }
    });
    return new Features(data, n, dim);
  }

  /** Runs the benchmark, logging each phase to {@code log}. */
  public static Result run(int n, int dim, int tile, PrintWriter log) {
    String loadBefore = loadAverage();
    double matmulBefore = MatmulBaseline.gflops(2048, 5);
    double matmul64 = MatmulBaseline.gflops(2048, 3, TFloat64.class);
    log.printf(Locale.ROOT, "matmul 2048^3 (TensorFlow): float32 %.1f GFLOP/s, float64 %.1f GFLOP/s; load %s%n",
        matmulBefore, matmul64, loadBefore);
    log.flush();

    long t0 = System.nanoTime();
    Features real = randomFeatures(n, dim, REAL_SEED);
    Features generated = randomFeatures(n, dim, GENERATED_SEED);
    double generation = seconds(t0);
    log.printf(Locale.ROOT, "features: 2 x %d x %d float32 (%.0f MB) generated in %.1f s%n",
        n, dim, 2.0 * n * dim * 4 / 1e6, generation);
    log.flush();

    Candidates candidates = candidatePass(real, generated, tile, log);

    List<Phase> pr = new ArrayList<>();
    List<Phase> reference = new ArrayList<>();
    PrecisionRecall.Result metric;
    PrecisionRecall.Result referenceMetric;
    int radiiMismatches;
    double fullPass = 2.0 * n * n * dim;
    try (PairwiseDistances tf = PairwiseDistances.create(DistanceBackend.TENSORFLOW, dim)) {
      CountingDistances counting = new CountingDistances(tf);
      PrecisionRecall precisionRecall = new PrecisionRecall(K, tile, counting);
      float[][] radii = new float[2][];
      radii[0] = timedTiles("radii, real (symmetric tiles)", counting, fullPass, log, pr,
          () -> precisionRecall.squaredRadii(real, "real"));
      radii[1] = timedTiles("radii, generated (symmetric tiles)", counting, fullPass, log, pr,
          () -> precisionRecall.squaredRadii(generated, "generated"));
      metric = timedTiles("precision and recall coverage (one fused pass)", counting, fullPass, log, pr,
          () -> precisionRecall.fusedCoverage(real, generated, radii[0], radii[1]));
      log.printf(Locale.ROOT, "precision %.4f, recall %.4f; now the reference path%n",
          metric.precision(), metric.recall());
      log.flush();
      float[][] referenceRadii = new float[2][];
      referenceRadii[0] = timedTiles("reference: radii, real (full pass)", counting, fullPass, log, reference,
          () -> precisionRecall.squaredRadiiFullPass(real, "real"));
      referenceRadii[1] = timedTiles("reference: radii, generated (full pass)", counting, fullPass, log,
          reference, () -> precisionRecall.squaredRadiiFullPass(generated, "generated"));
      double precision = timedTiles("reference: precision coverage", counting, fullPass, log, reference,
          () -> precisionRecall.coverage(generated, real, referenceRadii[0]));
      double recall = timedTiles("reference: recall coverage", counting, fullPass, log, reference,
          () -> precisionRecall.coverage(real, generated, referenceRadii[1]));
      referenceMetric = new PrecisionRecall.Result(precision, recall);
      radiiMismatches = mismatches(radii[0], referenceRadii[0]) + mismatches(radii[1], referenceRadii[1]);
    }
    log.printf(Locale.ROOT, "reference precision %.4f, recall %.4f: %s; radii differing in float32: %d of %d%n",
        referenceMetric.precision(), referenceMetric.recall(),
        metric.equals(referenceMetric) ? "equal" : "DIFFERENT", radiiMismatches, 2 * n);
    log.flush();

    List<Phase> fid = new ArrayList<>();
    double statsFlops = 2.0 * n * (double) dim * dim;
    GaussianStatistics realStats = timed("statistics, real (float64)", statsFlops, log, fid,
        () -> GaussianStatistics.of(real));
    GaussianStatistics generatedStats = timed("statistics, generated (float64)", statsFlops, log, fid,
        () -> GaussianStatistics.of(generated));
    FrechetDistance.Result frechet = timed("Frechet distance (2 eigendecompositions)", 0, log, fid,
        () -> FrechetDistance.compute(realStats, generatedStats));
    log.printf(Locale.ROOT, "FID %.4f (clamped eigenvalues: most negative %.3g of A S2 A, %.3g of S1)%n",
        frechet.distance(), frechet.mostNegativeProductEigenvalue(), frechet.mostNegativeCovarianceEigenvalue());
    log.flush();

    double matmulAfter = MatmulBaseline.gflops(2048, 5);
    PeakMemory memory = PeakMemory.now();
    return new Result(n, dim, tile, Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
        matmulBefore, matmulAfter, matmul64, generation, pr, metric, reference, referenceMetric, radiiMismatches,
        fid, frechet, memory, candidates);
  }

  private static Candidates candidatePass(Features real, Features generated, int tile, PrintWriter log) {
    if (!Bfloat16Products.kernelAccumulatesInFloat32()) {
      log.println("candidate pass: skipped (this machine's bfloat16 MatMul does not accumulate in float32)");
      log.flush();
      return new Candidates(false, 0, CANDIDATES, List.of(), null, 0, 0);
    }
    double matmul16 = MatmulBaseline.gflops(2048, 5, TBfloat16.class);
    log.printf(Locale.ROOT, "candidate pass: bfloat16 matmul 2048^3 at %.1f GFLOP/s%n", matmul16);
    log.flush();
    double fullPass = 2.0 * real.count() * (double) real.count() * real.dim();
    List<Phase> phases = new ArrayList<>();
    CandidatePrecisionRecall metric = new CandidatePrecisionRecall(K, tile, CANDIDATES);
    PrecisionRecall.Result result;
    try (Bfloat16Products products = new Bfloat16Products()) {
      float[] mu = candidatePhase("candidates: shift (mean of the real set)", products, fullPass, log, phases,
          () -> CandidatePrecisionRecall.mean(real));
      var realBlocks = candidatePhase("candidates: prepare real blocks", products, fullPass, log, phases,
          () -> products.prepareAll(real, tile, mu));
      var generatedBlocks = candidatePhase("candidates: prepare generated blocks", products, fullPass, log,
          phases, () -> products.prepareAll(generated, tile, mu));
      double[] realRadii = candidatePhase("candidates: radii, real (bfloat16 symmetric + float64)", products,
          fullPass, log, phases, () -> metric.squaredRadii(products, real, realBlocks, mu, "real"));
      double[] generatedRadii = candidatePhase("candidates: radii, generated (bfloat16 symmetric + float64)",
          products, fullPass, log, phases,
          () -> metric.squaredRadii(products, generated, generatedBlocks, mu, "generated"));
      result = candidatePhase("candidates: coverage (one fused bfloat16 pass)", products, fullPass, log, phases,
          () -> metric.coverage(products, real, realBlocks, realRadii, generated, generatedBlocks,
              generatedRadii));
    }
    log.printf(Locale.ROOT, "candidate pass: precision %.4f, recall %.4f; %d float64 distances, %d fallback points%n",
        result.precision(), result.recall(), metric.exactDistances(), metric.fallbackPoints());
    log.flush();
    return new Candidates(true, matmul16, CANDIDATES, phases, result, metric.exactDistances(),
        metric.fallbackPoints());
  }

  /** Tiles, FLOPs and backend seconds of the work since a phase began. */
  private record TileWork(long tiles, long flops, double backendSeconds) {}

  private static <T> T candidatePhase(String name, Bfloat16Products products, double fullPass, PrintWriter log,
      List<Phase> phases, Supplier<T> work) {
    return countedPhase(name, products::resetCount, () -> {
      Bfloat16Products.Count c = products.count();
      return new TileWork(c.tiles(), c.flops(), c.seconds());
    }, fullPass, log, phases, work);
  }

  private static <T> T timedTiles(String name, CountingDistances counting, double fullPass, PrintWriter log,
      List<Phase> phases, Supplier<T> work) {
    return countedPhase(name, counting::reset, () -> {
      CountingDistances.Count c = counting.count();
      return new TileWork(c.tiles(), c.flops(), c.backendSeconds());
    }, fullPass, log, phases, work);
  }

  /** Runs {@code work} as one phase, with the tiles {@code count} reports after {@code reset}. */
  private static <T> T countedPhase(String name, Runnable reset, Supplier<TileWork> count, double fullPass,
      PrintWriter log, List<Phase> phases, Supplier<T> work) {
    reset.run();
    long t0 = System.nanoTime();
    T value = work.get();
    double s = seconds(t0);
    TileWork c = count.get();
    Phase p = new Phase(name, s, c.flops(), c.tiles(), c.backendSeconds(), c.flops() / fullPass);
    phases.add(p);
    log.printf(Locale.ROOT, "%-60s %8.1f s  %6d tiles  %.3f passes  %7.1f GFLOP/s (%.1f in the backend)%n",
        name, s, c.tiles(), p.fullPasses(), p.gflops(),
        c.backendSeconds() > 0 ? c.flops() / c.backendSeconds() / 1e9 : 0.0);
    log.flush();
    return value;
  }

  private static <T> T timed(String name, double flops, PrintWriter log, List<Phase> phases, Supplier<T> work) {
    long t0 = System.nanoTime();
    T value = work.get();
    double s = seconds(t0);
    phases.add(new Phase(name, s, (long) flops, 0, s, 0));
    log.printf(Locale.ROOT, "%-40s %8.1f s%s%n", name, s,
        flops > 0 ? String.format(Locale.ROOT, "  %7.1f GFLOP/s", flops / s / 1e9) : "");
    log.flush();
    return value;
  }

  /** Entries of {@code a} and {@code b} whose float32 bits differ. */
  static int mismatches(float[] a, float[] b) {
    int c = 0;
    for (int i = 0; i < a.length; i++) {
      c += Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i]) ? 0 : 1;
    }
    return c;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The 1, 5 and 15 minute load averages, from /proc/loadavg ("unknown" elsewhere). */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The results as JSON (schema {@code restorelab.bench.metrics.full/1}). */
  public static JsonObject toJson(Result r) {
    JsonObject o = new JsonObject();
    o.addProperty("schema", "restorelab.bench.metrics.full/1");
    o.addProperty("n", r.n());
    o.addProperty("dim", r.dim());
    o.addProperty("k", K);
    o.addProperty("tile", r.tile());
    o.addProperty("backend", DistanceBackend.TENSORFLOW.name());
    o.addProperty("cores", r.cores());
    o.addProperty("load_average_before", r.loadBefore());
    o.addProperty("load_average_after", r.loadAfter());
    o.addProperty("matmul_gflops_before", r.matmulGflopsBefore());
    o.addProperty("matmul_gflops_after", r.matmulGflopsAfter());
    o.addProperty("matmul_gflops", r.matmulGflops());
    o.addProperty("matmul64_gflops", r.matmul64Gflops());
    o.addProperty("feature_generation_seconds", r.generationSeconds());
    JsonObject pr = new JsonObject();
    pr.add("phases", phases(r.precisionRecall(), r.matmulGflops()));
    pr.add("total", phase(r.precisionRecallTotal(), r.matmulGflops()));
    pr.addProperty("precision", r.metric().precision());
    pr.addProperty("recall", r.metric().recall());
    pr.addProperty("full_pass_equivalents", r.precisionRecallTotal().fullPasses());
    JsonObject ref = new JsonObject();
    ref.add("phases", phases(r.reference(), r.matmulGflops()));
    ref.add("total", phase(r.referenceTotal(), r.matmulGflops()));
    ref.addProperty("precision", r.referenceMetric().precision());
    ref.addProperty("recall", r.referenceMetric().recall());
    ref.addProperty("equal", r.equalsReference());
    ref.addProperty("radii_differing_bits", r.radiiMismatches());
    ref.addProperty("speed_up", r.referenceTotal().seconds() / r.precisionRecallTotal().seconds());
    pr.add("reference_four_passes", ref);
    o.add("precision_recall", pr);
    o.add("candidate_pass", candidatesJson(r));
    JsonObject fid = new JsonObject();
    fid.add("phases", phases(r.fid(), r.matmul64Gflops()));
    fid.addProperty("seconds", r.fidTotal().seconds());
    fid.addProperty("fid", r.frechet().distance());
    fid.addProperty("mean_term", r.frechet().meanTerm());
    fid.addProperty("trace_real", r.frechet().trace1());
    fid.addProperty("trace_generated", r.frechet().trace2());
    fid.addProperty("trace_sqrt", r.frechet().traceSqrt());
    fid.addProperty("most_negative_product_eigenvalue_clamped", r.frechet().mostNegativeProductEigenvalue());
    fid.addProperty("most_negative_covariance_eigenvalue_clamped", r.frechet().mostNegativeCovarianceEigenvalue());
    fid.addProperty("expected_noise_fid_first_order", r.expectedNoiseFid());
    o.add("fid", fid);
    o.addProperty("metrics_seconds", r.precisionRecallTotal().seconds() + r.fidTotal().seconds());
    JsonObject mem = new JsonObject();
    mem.addProperty("vm_hwm_bytes", r.memory().vmHwmBytes());
    mem.addProperty("vm_rss_bytes_at_end", r.memory().vmRssBytes());
    mem.addProperty("heap_peak_used_bytes", r.memory().heapPeakUsedBytes());
    mem.addProperty("heap_peak_committed_bytes", r.memory().heapPeakCommittedBytes());
    mem.addProperty("heap_max_bytes", r.memory().heapMaxBytes());
    mem.addProperty("features_bytes", 2L * r.n() * r.dim() * Float.BYTES);
    o.add("memory", mem);
    return o;
  }

  private static JsonObject candidatesJson(Result r) {
    Candidates c = r.candidates();
    JsonObject o = new JsonObject();
    o.addProperty("used", c.used());
    if (!c.used()) {
      return o;
    }
    o.addProperty("candidates", c.candidates());
    o.addProperty("bfloat16_matmul_gflops", c.matmulGflops());
    o.add("phases", phases(c.phases(), c.matmulGflops()));
    o.add("total", phase(c.total(), c.matmulGflops()));
    o.addProperty("full_pass_equivalents", c.total().fullPasses());
    o.addProperty("precision", c.metric().precision());
    o.addProperty("recall", c.metric().recall());
    o.addProperty("covered_generated", Math.round(c.metric().precision() * r.n()));
    o.addProperty("covered_real", Math.round(c.metric().recall() * r.n()));
    o.addProperty("equal_to_reference_four_passes", c.metric().equals(r.referenceMetric()));
    o.addProperty("float64_distances", c.exactDistances());
    o.addProperty("fallback_points", c.fallbackPoints());
    o.addProperty("speed_up_over_reference", r.referenceTotal().seconds() / c.total().seconds());
    o.addProperty("speed_up_over_float32_tiles", r.precisionRecallTotal().seconds() / c.total().seconds());
    return o;
  }

  private static JsonArray phases(List<Phase> phases, double reference) {
    JsonArray a = new JsonArray();
    phases.forEach(p -> a.add(phase(p, reference)));
    return a;
  }

  private static JsonObject phase(Phase p, double reference) {
    JsonObject o = new JsonObject();
    o.addProperty("name", p.name());
    o.addProperty("seconds", p.seconds());
    o.addProperty("flops", p.flops());
    if (p.flops() > 0) {
      o.addProperty("gflops", p.gflops());
      o.addProperty("ratio_to_matmul", p.gflops() / reference);
    }
    if (p.tiles() > 0) {
      o.addProperty("tiles", p.tiles());
      o.addProperty("full_passes", p.fullPasses());
      o.addProperty("backend_seconds", p.backendSeconds());
    }
    return o;
  }

  /** The Markdown report; {@code command} is the command line that made it. */
  public static String report(Result r, String command) {
    double mm = r.matmulGflops();
    MarkdownTable pr = new MarkdownTable("phase", "time (s)", "tiles", "full passes", "GFLOP/s",
        "ratio to matmul", "time in TensorFlow tiles (s)");
    for (Phase p : r.precisionRecall()) {
      pr.row(p.name(), f(p.seconds()), p.tiles(), f(p.fullPasses()), f(p.gflops()), f(p.gflops() / mm),
          f(p.backendSeconds()));
    }
    Phase total = r.precisionRecallTotal();
    pr.row("**total**", f(total.seconds()), total.tiles(), f(total.fullPasses()), f(total.gflops()),
        f(total.gflops() / mm), f(total.backendSeconds()));
    for (Phase p : r.reference()) {
      pr.row(p.name(), f(p.seconds()), p.tiles(), f(p.fullPasses()), f(p.gflops()), f(p.gflops() / mm),
          f(p.backendSeconds()));
    }
    Phase ref = r.referenceTotal();
    pr.row("**" + ref.name() + "**", f(ref.seconds()), ref.tiles(), f(ref.fullPasses()), f(ref.gflops()),
        f(ref.gflops() / mm), f(ref.backendSeconds()));
    String comparison = String.format(Locale.ROOT, "The reference path (the first implementation's four "
        + "passes, `PrecisionRecall.computeWithFullPasses`) on the same features: precision %.4f, recall %.4f "
        + "(covered points %d and %d against %d and %d): **%s**. Speed-up %.2fx. Radii whose float32 bits "
        + "differ between the symmetric and the full pass (a tile read transposed can round differently): "
        + "%d of %d.", r.referenceMetric().precision(), r.referenceMetric().recall(),
        Math.round(r.metric().precision() * r.n()), Math.round(r.metric().recall() * r.n()),
        Math.round(r.referenceMetric().precision() * r.n()), Math.round(r.referenceMetric().recall() * r.n()),
        r.equalsReference() ? "equal" : "different", ref.seconds() / total.seconds(), r.radiiMismatches(),
        2 * r.n());
    String candidateSection = candidateReport(r);
    MarkdownTable fid = new MarkdownTable("phase", "time (s)", "float64 GFLOP/s", "ratio to float64 matmul");
    for (Phase p : r.fid()) {
      fid.row(p.name(), f(p.seconds()), p.flops() > 0 ? f(p.gflops()) : "-",
          p.flops() > 0 ? f(p.gflops() / r.matmul64Gflops()) : "-");
    }
    fid.row("**total**", f(r.fidTotal().seconds()), "-", "-");
    PeakMemory m = r.memory();
    MarkdownTable mem = new MarkdownTable("quantity", "GB");
    mem.row("feature sets (2 x n x d float32)", gb(2L * r.n() * r.dim() * Float.BYTES));
    mem.row("process peak resident set (VmHWM)", gb(m.vmHwmBytes()));
    mem.row("Java heap peak used (sum of pool peaks)", gb(m.heapPeakUsedBytes()));
    mem.row("Java heap peak committed", gb(m.heapPeakCommittedBytes()));
    mem.row("Java heap limit (-Xmx)", gb(m.heapMaxBytes()));
    return String.format(Locale.ROOT, """
        # bench metrics --full-scale

        Made by `%s`. Precision/recall (k = %d, TensorFlow backend, tiles of %d x %d) and FID on \
        %,d vs %,d random standard Gaussian features of dimension %d, on %d cores. Load average \
        before %s, after %s. Time: precision/recall %.1f s + FID %.1f s = %.1f s.

        Reference rates measured in this run: float32 TensorFlow matmul 2048^3 at %.1f GFLOP/s before \
        and %.1f after (ratios use the higher, %.1f); float64 at %.1f GFLOP/s. Features generated in %.1f s.

        ## Precision and recall

        Precision %.4f, recall %.4f. FLOPs count 2 m n d per m x n distance tile actually computed; a \
        full pass is 2 n n d = %.3g FLOPs. The radii read only the tiles on and above the diagonal \
        (half a pass each); one fused pass over the real-generated tiles decides precision and recall \
        together, skipping a tile whose points are all covered (so it can run less than a full pass). The gap between the phase time and the time in \
        TensorFlow tiles is the Java-side k-nearest and coverage scan (the TensorFlow backend is not \
        thread-safe, so tiles run one at a time).

        %s
        %s

        %s
        ## FID

        FID %.4f (mean term %.4f, tr S_real %.2f, tr S_generated %.2f, tr sqrt %.2f). Both sets are \
        drawn from N(0, I), so this is the metric's estimation bias; to first order it is \
        d (d + 1) / (2 (n - 1)) + 2 d / n = %.2f. Most negative eigenvalue clamped to 0: %.3g (A S2 A), \
        %.3g (S_real). The statistics count 2 n d^2 FLOPs (float64 scatter MatMuls).

        %s
        ## Peak memory

        %s
        """, command, K, r.tile(), r.tile(), r.n(), r.n(), r.dim(), r.cores(), r.loadBefore(), r.loadAfter(),
        total.seconds(), r.fidTotal().seconds(), total.seconds() + r.fidTotal().seconds(),
        r.matmulGflopsBefore(), r.matmulGflopsAfter(), mm, r.matmul64Gflops(), r.generationSeconds(),
        r.metric().precision(), r.metric().recall(), 2.0 * r.n() * r.n() * r.dim(), pr.render(),
        comparison, candidateSection,
        r.frechet().distance(), r.frechet().meanTerm(), r.frechet().trace1(), r.frechet().trace2(),
        r.frechet().traceSqrt(), r.expectedNoiseFid(), r.frechet().mostNegativeProductEigenvalue(),
        r.frechet().mostNegativeCovarianceEigenvalue(), fid.render(), mem.render());
  }

  private static String candidateReport(Result r) {
    Candidates c = r.candidates();
    if (!c.used()) {
      return "## Bfloat16 candidate pass\n\nNot run: this machine's bfloat16 MatMul does not accumulate in float32.\n";
    }
    MarkdownTable t = new MarkdownTable("phase", "time (s)", "bfloat16 tiles", "full passes", "GFLOP/s",
        "ratio to bfloat16 matmul", "time in TensorFlow tiles (s)");
    for (Phase p : c.phases()) {
      t.row(p.name(), f(p.seconds()), p.tiles(), f(p.fullPasses()), p.flops() > 0 ? f(p.gflops()) : "-",
          p.flops() > 0 ? f(p.gflops() / c.matmulGflops()) : "-", f(p.backendSeconds()));
    }
    Phase total = c.total();
    t.row("**total**", f(total.seconds()), total.tiles(), f(total.fullPasses()), f(total.gflops()),
        f(total.gflops() / c.matmulGflops()), f(total.backendSeconds()));
    return String.format(Locale.ROOT, """
        ## Bfloat16 candidate pass (`precision_recall.candidate_pass`)

        The same metric from bfloat16 tiles with rigorous error bounds (`CandidatePrecisionRecall`): \
        %d candidates per point, float64 distances only for the candidates and the pairs the bounds \
        cannot decide. bfloat16 matmul 2048^3 at %.1f GFLOP/s in this run.

        %s
        Precision %.4f, recall %.4f (covered points %d and %d): **%s** the reference four passes. \
        %,d float64 distances; %d points needed the fallback pass. Speed-up %.2fx over the reference, \
        %.2fx over the float32 tiles.
        """, c.candidates(), c.matmulGflops(), t.render(), c.metric().precision(), c.metric().recall(),
        Math.round(c.metric().precision() * r.n()), Math.round(c.metric().recall() * r.n()),
        c.metric().equals(r.referenceMetric()) ? "equal to" : "different from", c.exactDistances(),
        c.fallbackPoints(), r.referenceTotal().seconds() / total.seconds(),
        r.precisionRecallTotal().seconds() / total.seconds());
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
  }

  private static String gb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", bytes / 1e9);
  }
}
