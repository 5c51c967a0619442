package org.restorelab.spark;

import java.io.IOException;
import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.restorelab.config.DistanceBackend;
import org.restorelab.metric.FeatureFile;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;

/**
 * Improved precision and recall as a blocked k-NN over a cluster: the float32 tiles of
 * {@link PrecisionRecall#compute} (symmetric radii, one fused coverage pass), with its row tiles
 * spread over Spark tasks instead of the driver's cores.
 *
 * <p>Two Spark jobs. Radii: each task takes a group of row tiles of one set, adds their tiles on
 * and above the diagonal to k-nearest lists of its own ({@link PrecisionRecall#addRowTileNeighbours})
 * and returns them; the driver merges the lists per set ({@link PrecisionRecall#mergeNeighbours}),
 * which gives the driver's radii bit for bit, since each tile is computed with the same rows and
 * columns and a k-nearest list keeps the k smallest values whatever their order. Coverage: each
 * task takes a group of real row tiles ({@link PrecisionRecall#coverRowTile}) and returns its
 * coverage flags; the driver ORs them. Precision and recall therefore equal the driver's.
 *
 * <p>The tasks read the two feature sets from files (little-endian float32 rows,
 * {@link FeatureFile}) at a path every executor sees, once per executor JVM; the driver ships only
 * the radii (2 x 4 n bytes) to the coverage tasks. Work per task is about 2 n^2 d / tasks FLOPs.
 */
public final class BlockedPrecisionRecall {
  private BlockedPrecisionRecall() {}

  /** The two feature sets on shared storage. */
  public record Inputs(String realFile, int realCount, String generatedFile, int generatedCount, int dim)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public static Inputs of(Path realFile, int realCount, Path generatedFile, int generatedCount, int dim) {
      return new Inputs(realFile.toAbsolutePath().toString(), realCount, generatedFile.toAbsolutePath().toString(),
          generatedCount, dim);
    }
  }

  /** The metric and what it took: the radii (for checks), the seconds of each Spark job, the task counts. */
  public record Outcome(PrecisionRecall.Result result, float[] realRadii, float[] generatedRadii,
      double radiiSeconds, double coverageSeconds, int radiiTasks, int coverageTasks, double[] radiiTaskSeconds,
      double[] coverageTaskSeconds) {}

  /** The metric's settings, shipped to the tasks. */
  private record Settings(int k, int tile, DistanceBackend backend) implements Serializable {
    private static final long serialVersionUID = 1L;

    PrecisionRecall metric(PairwiseDistances distances) {
      return new PrecisionRecall(k, tile, distances);
    }
  }

  /** One radii task: row tiles of the real set (0) or the generated one (1). */
  record RadiiGroup(int set, int[] rowTiles) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What a radii task returns: the k-nearest lists its row tiles filled. */
  private record Neighbours(int set, float[] best, double seconds) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What a coverage task returns: the real and generated samples its row tiles covered. */
  private record Covered(BitSet real, BitSet generated, double seconds) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Precision and recall with {@code k} neighbours, tiles of {@code tile} rows and the distance
   * {@code backend}, in about {@code tasks} Spark tasks per job on {@code sc}.
   */
  public static Outcome compute(JavaSparkContext sc, Inputs inputs, int k, int tile, DistanceBackend backend,
      int tasks) {
    if (tasks < 1) {
      throw new IllegalArgumentException("the blocked k-NN needs at least 1 task, got " + tasks);
    }
    Settings settings = new Settings(k, tile, backend);
    PrecisionRecall plan = new PrecisionRecall(k, tile, null);
    plan.checkK(inputs.realCount(), "real");
    plan.checkK(inputs.generatedCount(), "generated");

    long start = System.nanoTime();
    List<RadiiGroup> groups = new ArrayList<>();
    groups.addAll(radiiGroups(0, plan.tiles(inputs.realCount()), tasks));
    groups.addAll(radiiGroups(1, plan.tiles(inputs.generatedCount()), tasks));
    List<Neighbours> lists = sc.parallelize(groups, groups.size()).map(g -> neighbours(inputs, settings, g)).collect();
    float[][] merged = {plan.emptyNeighbours(inputs.realCount()), plan.emptyNeighbours(inputs.generatedCount())};
    for (Neighbours n : lists) {
      plan.mergeNeighbours(merged[n.set()], n.best());
    }
    float[] realRadii = plan.radii(merged[0]);
    float[] generatedRadii = plan.radii(merged[1]);
    double radiiSeconds = (System.nanoTime() - start) / 1e9;

    start = System.nanoTime();
    List<int[]> coverageGroups = coverageGroups(plan.tiles(inputs.realCount()), tasks);
    var radii = sc.broadcast(new float[][] {realRadii, generatedRadii});
    List<Covered> flags = sc.parallelize(coverageGroups, coverageGroups.size())
        .map(g -> covered(inputs, settings, radii.value(), g)).collect();
    radii.destroy();
    boolean[] realCovered = new boolean[inputs.realCount()];
    boolean[] generatedCovered = new boolean[inputs.generatedCount()];
    for (Covered c : flags) {
      c.real().stream().forEach(i -> realCovered[i] = true);
      c.generated().stream().forEach(j -> generatedCovered[j] = true);
    }
    double coverageSeconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(PrecisionRecall.result(realCovered, generatedCovered), realRadii, generatedRadii, radiiSeconds,
        coverageSeconds, groups.size(), coverageGroups.size(), lists.stream().mapToDouble(Neighbours::seconds).toArray(),
        flags.stream().mapToDouble(Covered::seconds).toArray());
  }

  /**
   * The row tiles of one set in at most {@code tasks} groups of about equal work: row tile a reads
   * the tiles - a tiles on and above the diagonal, so the tiles go, costliest first, each to the
   * group with the least work so far.
   */
  static List<RadiiGroup> radiiGroups(int set, int tiles, int tasks) {
    int g = Math.min(tasks, tiles);
    List<List<Integer>> members = new ArrayList<>();
    long[] work = new long[g];
    for (int i = 0; i < g; i++) {
      members.add(new ArrayList<>());
    }
    for (int a = 0; a < tiles; a++) {
      int lightest = 0;
      for (int i = 1; i < g; i++) {
        if (work[i] < work[lightest]) {
          lightest = i;
        }
      }
      members.get(lightest).add(a);
      work[lightest] += tiles - a;
    }
    List<RadiiGroup> groups = new ArrayList<>();
    for (List<Integer> m : members) {
      groups.add(new RadiiGroup(set, m.stream().mapToInt(Integer::intValue).toArray()));
    }
    return groups;
  }

  /** The real row tiles in at most {@code tasks} groups, dealt in turn (each reads every generated tile). */
  static List<int[]> coverageGroups(int tiles, int tasks) {
    int g = Math.min(tasks, tiles);
    List<int[]> groups = new ArrayList<>();
    for (int i = 0; i < g; i++) {
      int size = (tiles - i + g - 1) / g;
      int[] rows = new int[size];
      for (int t = 0; t < size; t++) {
        rows[t] = i + t * g;
      }
      groups.add(rows);
    }
    return groups;
  }

  private static Neighbours neighbours(Inputs inputs, Settings settings, RadiiGroup group) throws IOException {
    long start = System.nanoTime();
    Features set = group.set() == 0 ? load(inputs.realFile(), inputs.realCount(), inputs.dim())
        : load(inputs.generatedFile(), inputs.generatedCount(), inputs.dim());
    try (PairwiseDistances distances = PairwiseDistances.create(settings.backend(), inputs.dim())) {
      PrecisionRecall metric = settings.metric(distances);
      float[] best = metric.emptyNeighbours(set.count());
      float[] buffer = new float[settings.tile() * settings.tile()];
      for (int a : group.rowTiles()) {
        metric.addRowTileNeighbours(set, a, best, null, buffer);
      }
      return new Neighbours(group.set(), best, (System.nanoTime() - start) / 1e9);
    }
  }

  private static Covered covered(Inputs inputs, Settings settings, float[][] radii, int[] rowTiles)
      throws IOException {
    long start = System.nanoTime();
    Features real = load(inputs.realFile(), inputs.realCount(), inputs.dim());
    Features generated = load(inputs.generatedFile(), inputs.generatedCount(), inputs.dim());
    boolean[] realCovered = new boolean[real.count()];
    boolean[] generatedCovered = new boolean[generated.count()];
    try (PairwiseDistances distances = PairwiseDistances.create(settings.backend(), inputs.dim())) {
      PrecisionRecall metric = settings.metric(distances);
      float[] buffer = new float[settings.tile() * settings.tile()];
      for (int t : rowTiles) {
        metric.coverRowTile(real, generated, radii[0], radii[1], t, realCovered, generatedCovered, buffer);
      }
    }
    return new Covered(bits(realCovered), bits(generatedCovered), (System.nanoTime() - start) / 1e9);
  }

  private static BitSet bits(boolean[] flags) {
    BitSet b = new BitSet(flags.length);
    for (int i = 0; i < flags.length; i++) {
      if (flags[i]) {
        b.set(i);
      }
    }
    return b;
  }

  /** Feature files already read by this JVM (an executor's tasks share them); kept while memory allows. */
  private static final Map<String, SoftReference<Features>> LOADED = new HashMap<>();

  /** The features in {@code file}, read once per JVM (per file, size and modification time). */
  static synchronized Features load(String file, int count, int dim) throws IOException {
    Path path = Path.of(file);
    String key = file + "|" + count + "|" + dim + "|" + Files.getLastModifiedTime(path).toMillis();
    SoftReference<Features> ref = LOADED.get(key);
    Features f = ref == null ? null : ref.get();
    if (f == null) {
      LOADED.keySet().removeIf(k -> k.startsWith(file + "|"));
      f = FeatureFile.read(path, count, dim);
      LOADED.put(key, new SoftReference<>(f));
    }
    return f;
  }
}
