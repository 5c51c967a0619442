import java.nio.file.*;
import java.util.*;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.*;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.run.Seeds;

/**
 * Dumps the precision/recall outputs of ToyEvaluation (its validation data and z stream, so the same
 * points) and the real samples they are compared with, as CSV: kind,x1,x2.
 * Usage: java -cp target/restorelab.jar Probe.java SAVEDMODEL SEED OUT.csv
 */
public class Probe {
  public static void main(String[] a) throws Exception {
    String dir = a[0]; long seed = Long.parseLong(a[1]); Path out = Path.of(a[2]);
    int n = 1000;
    Points validation = new UnitDisk().sample(10000, Seeds.random(seed, "toy/data/validation"));
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(dir).build())) {
      String path = "evaluate/" + m.name();
      double[] y = Arrays.copyOf(validation.x1(), n);
      float[] z = m.drawZ(n, Seeds.random(seed, path + "/pr-z"));
      float[] yf = new float[n]; for (int i = 0; i < n; i++) yf[i] = (float) y[i];
      float[] o = m.outputs(yf, z, n);
      int w = m.signalSize();
      StringBuilder sb = new StringBuilder("kind,x1,x2\n");
      for (int i = 0; i < n; i++) sb.append("gen,").append(o[i*w]).append(',').append(o[i*w+w-1]).append('\n');
      for (int i = n; i < 2*n; i++) sb.append("real,").append(validation.x1()[i]).append(',').append(validation.x2()[i]).append('\n');
      Files.writeString(out, sb.toString());
      System.out.println(m.name() + " -> " + out);
    }
  }
}
