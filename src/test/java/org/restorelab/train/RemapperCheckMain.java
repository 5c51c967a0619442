package org.restorelab.train;

import java.util.List;
import org.restorelab.config.ImageGanConfig;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Run in a fresh JVM by {@link ImageGanRemapperTest}: Grappler's "remapper failed" error goes to
 * the native stderr, and TF logs it only for the first graph of a process. So this runs first a
 * robust and a plain iteration of the tiny CPU image GAN (batch 2, 32x32), then a control graph
 * with the pattern that makes the remapper fail (Conv2D -> BiasAdd -> tf.nn.leakyRelu, with its
 * gradient), each followed by a marker line on stderr.
 */
final class RemapperCheckMain {
  static final String TRAINING_DONE = "remapper-check: training graph ran";
  static final String CONTROL_DONE = "remapper-check: control graph ran";

  private RemapperCheckMain() {}

  public static void main(String[] args) {
    ImageGanConfig config = ImageGanTrainerTest.tiny("StoRobustGAN", true, true, 3);
    GanTrainer trainer = GanTrainer.images(config, 7, null);
    RandomImages images = new RandomImages(2, 32, 1);
    float[] batch = new float[2 * 32 * 32 * 3];
    images.read(0, batch, 0);
    images.read(1, batch, 32 * 32 * 3);
    try (GanGraph g = GanGraph.images(config, 7); Session session = new Session(g.graph)) {
      g.variables.initialize(session);
      trainer.iteration(g, session, batch, batch, 0, null); // robust (apply_every 3)
      trainer.iteration(g, session, batch, batch, 1, null); // plain
    }
    System.err.println(TRAINING_DONE);
    control();
    System.err.println(CONTROL_DONE);
  }

  /** d sum(LeakyRelu(BiasAdd(Conv2D(x, w), b))) / dx: the LeakyReluGrad reads the BiasAdd. */
  static void control() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 8, 8, 3)));
      Operand<TFloat32> w = tf.math.add(tf.constant(new float[3][3][3][4]), tf.constant(0.05f));
      Operand<TFloat32> pre = tf.nn.biasAdd(tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME"),
          tf.constant(new float[] {0.1f, -0.2f, 0.3f, 0f}));
      Operand<TFloat32> h = tf.nn.leakyRelu(pre, org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
      Operand<TFloat32> y = tf.reduceSum(tf.math.mul(h, h), tf.constant(new int[] {0, 1, 2, 3}));
      Gradients dx = tf.gradients(List.of(y), List.of(x), Gradients.dx(List.of(tf.constant(1f))));
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(2, 8, 8, 3))) {
        s.runner().feed(x, in).fetch(dx.dy(0)).run().close();
      }
    }
  }
}
