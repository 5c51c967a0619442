package org.restorelab.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ConfigLoader;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.Split;
import org.restorelab.estimator.flow.ConditionalFlow;
import org.restorelab.graph.Parameters;
import org.restorelab.task.SuperResolution;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Where a trained flow's samples leave float32's range: decodes validation inputs from a run
 * folder's checkpoint at one temperature, and for every sample whose output is not finite prints
 * the first traced tensor (a prior sample or a layer's inverse) whose largest |value| exceeds
 * 1e30 or is not finite, with the largest |value| of every traced tensor before it.
 * Usage: java -cp target/classes:target/test-classes:target/lib/* org.restorelab.train.FlowOverflowProbe RUN T N
 */
final class FlowOverflowProbe {
  private FlowOverflowProbe() {}

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    float temperature = Float.parseFloat(args[1]);
    int n = Integer.parseInt(args[2]);
    ExperimentConfig experiment = ConfigLoader.load(run.resolve("config.pbtxt"));
    ConditionalFlowConfig config = experiment.getConditionalFlow();
    SuperResolution task = ConditionalFlowTrainer.task(config, "conditional_flow");
    int side = config.getData().getImageSize();
    Map<String, Checkpoint.Tensor> weights = Checkpoint.read(run.resolve(Checkpoint.FILE)).variables();
    ImageSet validation = ImageSets.open(config.getData(), Split.VALIDATION, experiment.getSeed());
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, ConditionalFlowGraph.NETWORK, 0, TFloat32.class);
      Parameters<TFloat32> fixed = new Parameters<>(tf, ConditionalFlowGraph.FIXED, 0, TFloat32.class);
      ConditionalFlow<TFloat32> flow = new ConditionalFlow<>(params, fixed, config.getFlow(), side, task.scale());
      VariableStore store = new VariableStore(tf, List.of(params, fixed));
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
      Placeholder<TInt64> seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> y = task.degrade(tf, images);
      Operand<TFloat32> eps = tf.random.statelessRandomNormal(
          tf.stack(List.of(org.restorelab.graph.Graphs.rows(tf, images), tf.constant(flow.latentSize()))), seed,
          TFloat32.class);
      Map<String, Operand<TFloat32>> trace = new LinkedHashMap<>();
      Operand<TFloat32> out = flow.decode(tf, flow.splitLatents(tf, eps), y, tf.constant(temperature), trace);
      List<String> names = List.copyOf(trace.keySet());
      try (Session session = new Session(g)) {
        store.assign(session, weights, run.toString());
        int batch = 50;
        int bad = 0;
        Map<String, Integer> firstOver = new LinkedHashMap<>();
        for (int from = 0; from < n; from += batch) {
          int[] idx = java.util.stream.IntStream.range(from, Math.min(n, from + batch)).toArray();
          try (TFloat32 x = TFloat32.tensorOf(Shape.of(idx.length, side, side, 3),
                  DataBuffers.of(BatchLoader.readAll(validation, idx), true, false));
              TInt64 s = TInt64.vectorOf(11, from)) {
            Session.Runner r = session.runner().feed(images, x).feed(seed, s).fetch(out);
            names.forEach(k -> r.fetch(trace.get(k)));
            try (Result res = r.run()) {
              float[][] rows = rows((TFloat32) res.get(0), idx.length);
              for (int i = 0; i < idx.length; i++) {
                if (finite(rows[i])) {
                  continue;
                }
                bad++;
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "image %d:", from + i));
                for (int t = 0; t < names.size(); t++) {
                  float[] v = rows((TFloat32) res.get(t + 1), idx.length)[i];
                  double max = maxAbs(v);
                  line.append(String.format(Locale.ROOT, " [%s %.3g]", names.get(t), max));
                  if (!(max <= 1e30)) {
                    firstOver.merge(names.get(t), 1, Integer::sum);
                    break;
                  }
                }
                System.out.println(line);
              }
            }
          }
        }
        System.out.printf(Locale.ROOT, "T = %.2f: %d of %d samples not finite; first tensor over 1e30: %s%n",
            temperature, bad, n, firstOver);
      }
    }
  }

  private static float[][] rows(TFloat32 t, int n) {
    float[] all = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(all);
    int per = all.length / n;
    float[][] out = new float[n][per];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all, i * per, out[i], 0, per);
    }
    return out;
  }

  private static boolean finite(float[] v) {
    for (float f : v) {
      if (!Float.isFinite(f)) {
        return false;
      }
    }
    return true;
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      if (!Float.isFinite(f)) {
        return Double.POSITIVE_INFINITY;
      }
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
