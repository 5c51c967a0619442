package org.restorelab.train;

import org.restorelab.config.ImageGanConfig.ComputePrecision;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.run.TfSessions;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;
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
 * The effect of bfloat16 convolutions on the estimator's output: the same U-Net (same seed, so
 * the same initial weights) run with float32 and with bfloat16 convolutions on the same inputs
 * and z, compared by PSNR (peak 1) between the two outputs.
 */
public final class PrecisionComparison {
  private PrecisionComparison() {}

  /** PSNR in dB between the float32 and the bfloat16 estimator outputs on {@code images} [n, h, w, 3]. */
  public static double outputPsnr(ImageGanConfig config, long seed, float[] images) {
    float[] a = forward(config.toBuilder().setPrecision(ComputePrecision.FLOAT32).build(), seed, images);
    float[] b = forward(config.toBuilder().setPrecision(ComputePrecision.BFLOAT16_CONV).build(), seed, images);
    double mse = 0;
    for (int i = 0; i < a.length; i++) {
      mse += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    mse /= a.length;
    return 10 * Math.log10(1 / mse);
  }

  private static float[] forward(ImageGanConfig config, long seed, float[] images) {
    int side = config.getData().getImageSize();
    RestorationTask task = Tasks.create(config.getTask(), side, "image_gan.task");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, GanGraph.ESTIMATOR, seed, TFloat32.class);
      Parameters<TFloat32> stats = new Parameters<>(tf, GanGraph.ESTIMATOR_STATISTICS, seed, TFloat32.class);
      UNetEstimator<TFloat32> unet = new UNetEstimator<>(params, stats, config.getEstimator(), task,
          org.restorelab.graph.ConvolutionPrecision.bfloat16(config.getPrecision()));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
      Operand<TFloat32> y = task.degrade(tf, x);
      Operand<TFloat32> z = LatentNoise.sample(tf, config.getNoise().getDistribution(), unet.noiseSize(),
          Graphs.rows(tf, y), tf.constant(new long[] {seed, 17}), TFloat32.class);
      Operand<TFloat32> out = unet.apply(tf, y, z, BatchNorm.Mode.TRAINING).output();
      try (Session s = TfSessions.open(g)) {
        Session.Runner init = s.runner();
        params.initializers().forEach(init::addTarget);
        stats.initializers().forEach(init::addTarget);
        init.run().close();
        int n = images.length / (side * side * 3);
        try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(images, true, false));
            Result r = s.runner().feed(x, xt).fetch(out).run()) {
          return GanTrainer.floats((TFloat32) r.get(0));
        }
      }
    }
  }
}
