// Per-pixel diversity of an exported image estimator: for the first N validation images of the
// model's training data (procedural faces here), draws K samples through the SavedModel's
// `sample` signature (seeds 0..K-1) and prints the per-pixel standard deviation over the K
// samples, averaged over pixels and inputs, on the whole image and on the masked upper 3/4.
// Usage (from the repository root, after a build):
//   MODEL=runs/cpu/inpainting-StoRobustGAN/savedmodel jshell --class-path "target/restorelab.jar:$(ls target/lib/*.jar | tr '\n' ':')" tools/sample-diversity.jsh
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.*;
var modelDir = System.getenv("MODEL");
int n = 64, k = 8, side = 32;
var data = org.restorelab.config.ProceduralFacesConfig.newBuilder().build();
var faces = new org.restorelab.data.image.ProceduralFaces(data, side, 0, org.restorelab.data.image.Split.VALIDATION);
float[] x = org.restorelab.data.image.BatchLoader.readAll(faces, java.util.stream.IntStream.range(0, n).toArray());
// y = the masked image: upper 24 rows set to 0
float[] y = x.clone();
for (int b = 0; b < n; b++) for (int r = 0; r < 24; r++) for (int c = 0; c < side * 3; c++) y[(b * side + r) * side * 3 + c] = 0;
var samples = new java.util.ArrayList<float[]>();
try (var model = SavedModelBundle.load(modelDir, "serve"); var yt = TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(y, true, false))) {
  for (int s = 0; s < k; s++) {
    try (var seed = TInt64.vectorOf(0, s); var r = model.session().runner().feed("y", yt).feed("seed", seed).fetch("x_hat_sample").run()) {
      var t = (TFloat32) r.get(0);
      float[] v = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(v);
      samples.add(v);
    }
  }
}
double all = 0, masked = 0; long nm = 0;
for (int p = 0; p < samples.get(0).length; p++) {
  double m = 0; for (float[] s : samples) m += s[p]; m /= k;
  double v = 0; for (float[] s : samples) v += (s[p] - m) * (s[p] - m);
  double sd = Math.sqrt(v / k);
  all += sd;
  int row = (p / (side * 3)) % side;
  if (row < 24) { masked += sd; nm++; }
}
System.out.printf("%s: per-pixel std over %d samples, %d inputs: whole image %.5f, masked region %.5f%n", modelDir, k, n, all / samples.get(0).length, masked / nm);
/exit
