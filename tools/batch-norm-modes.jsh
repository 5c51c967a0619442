// Training-mode against inference-mode batch norm for an image GAN run: loads the run's
// checkpoint.bin into the U-Net, feeds the first 16 validation faces with 4 z draws, and prints,
// for each mode, the mean |x_hat - x| and the per-pixel std over z in the masked upper 3/4, and
// the mean |training - inference| difference. Rules out sample grids (inference mode, moving
// averages) that look worse than what the critic sees (training mode, batch statistics).
// Usage (from the repository root, after a build):
//   RUN=runs/cpu/inpainting-StoErraticGAN jshell --class-path "target/restorelab.jar:$(ls target/lib/*.jar | tr '\n' ':')" tools/batch-norm-modes.jsh
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.*;
import org.restorelab.graph.*;
import org.restorelab.estimator.*;
import org.restorelab.train.*;
var run = java.nio.file.Path.of(System.getenv("RUN"));
var image = org.restorelab.config.ConfigLoader.load(run.resolve("config.pbtxt")).getImageGan();
var ckpt = Checkpoint.read(run.resolve("checkpoint.bin"));
int n = 16, side = 32, k = 4;
var faces = new org.restorelab.data.image.ProceduralFaces(image.getData().getFaces(), side, 0, org.restorelab.data.image.Split.VALIDATION);
float[] x = org.restorelab.data.image.BatchLoader.readAll(faces, java.util.stream.IntStream.range(0, n).toArray());
var task = org.restorelab.task.Tasks.create(image.getTask(), side, "t");
float[][][] outs = new float[2][k][];
try (Graph g = new Graph()) {
  Ops tf = Ops.create(g);
  var params = new Parameters<TFloat32>(tf, GanGraph.ESTIMATOR, 0, TFloat32.class);
  var stats = new Parameters<TFloat32>(tf, GanGraph.ESTIMATOR_STATISTICS, 0, TFloat32.class);
  var est = new UNetEstimator<TFloat32>(params, stats, image.getEstimator(), task, false);
  var store = new VariableStore(tf, java.util.List.of(params, stats));
  var xb = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
  var zb = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, est.noiseSize())));
  var y = task.degrade(tf, xb);
  var train = est.apply(tf, y, zb, BatchNorm.Mode.TRAINING).output();
  var infer = est.apply(tf, y, zb, BatchNorm.Mode.INFERENCE).output();
  try (Session s = new Session(g)) {
    store.assign(s, ckpt.variables(), "ckpt");
    var rnd = new java.util.Random(1);
    for (int j = 0; j < k; j++) {
      float[] z = new float[(int) (n * est.noiseSize())];
      for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian();
      try (var xt = TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(x, true, false));
           var zt = TFloat32.tensorOf(Shape.of(n, est.noiseSize()), DataBuffers.of(z, true, false));
           var r = s.runner().feed(xb, xt).feed(zb, zt).fetch(train).fetch(infer).run()) {
        for (int m = 0; m < 2; m++) { var t = (TFloat32) r.get(m); float[] v = new float[(int) t.shape().size()]; t.asRawTensor().data().asFloats().read(v); outs[m][j] = v; }
      }
    }
  }
}
String[] names = {"training-mode BN", "inference-mode BN"};
for (int m = 0; m < 2; m++) {
  double err = 0, sd = 0; long cnt = 0;
  for (int p = 0; p < x.length; p++) {
    int row = (p / (side * 3)) % side; if (row >= 24) continue;
    double mean = 0; for (int j = 0; j < k; j++) mean += outs[m][j][p]; mean /= k;
    double v = 0; for (int j = 0; j < k; j++) v += (outs[m][j][p] - mean) * (outs[m][j][p] - mean);
    sd += Math.sqrt(v / k); err += Math.abs(outs[m][0][p] - x[p]); cnt++;
  }
  System.out.printf("%s: %s masked region: mean |x_hat - x| %.4f, per-pixel std over %d z %.4f%n", run, names[m], err / cnt, k, sd / cnt);
}
double d = 0; long c2 = 0; for (int p = 0; p < x.length; p++) { d += Math.abs(outs[0][0][p] - outs[1][0][p]); c2++; }
System.out.printf("%s: mean |training - inference| %.4f (step %d)%n", run, d / c2, ckpt.step());
/exit
