package org.restorelab.export;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.restorelab.run.Folders;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SignatureNames;

/**
 * A SavedModel written into a staging folder beside its target, then renamed into place, so a
 * reader never sees a half-written export. Also writes the {@link ModelMetadata} record and strips
 * the MatMul attributes older TensorFlow does not know ({@link MatMulGradHints}).
 */
final class StagedExport {
  private StagedExport() {}

  /** A fresh (absent) staging path beside {@code target}; the SavedModel exporter creates it. */
  static Path staging(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path staging = absolute.resolveSibling("." + absolute.getFileName() + ".staging");
    Folders.delete(staging);
    return staging;
  }

  /**
   * Strips the MatMul grad_a / grad_b attributes from the staged graph, writes the metadata into
   * it, then moves it to {@code target}, replacing an older one.
   */
  static void publish(Path staging, JsonObject metadata, Path target) throws IOException {
    MatMulGradHints.strip(staging);
    ModelMetadata.write(staging, metadata);
    if (Files.exists(target)) {
      Path old = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".old");
      Folders.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      Folders.delete(old);
    } else {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Exports an estimator's session into {@code staging} with RestoreLab's two signatures:
   * {@code serving_default} (y, z) -> x_hat and {@code sample} (y, seed) -> x_hat.
   */
  static void exportEstimator(org.tensorflow.Session session, Path staging, org.tensorflow.Operand<?> y,
      org.tensorflow.Operand<?> z, org.tensorflow.Operand<?> seed, org.tensorflow.Operand<?> xHat,
      org.tensorflow.Operand<?> sampled) throws IOException {
    org.tensorflow.SavedModelBundle.exporter(staging.toString()).withSession(session).withSignatures(
        org.tensorflow.Signature.builder().key(SignatureNames.SERVING_DEFAULT).methodName(SignatureNames.PREDICT_METHOD)
            .input(SignatureNames.Y, y).input(SignatureNames.Z, z).output(SignatureNames.X_HAT, xHat).build(),
        org.tensorflow.Signature.builder().key(SignatureNames.SAMPLE).methodName(SignatureNames.PREDICT_METHOD)
            .input(SignatureNames.Y, y).input(SignatureNames.SEED, seed).output(SignatureNames.X_HAT, sampled).build())
        .export();
  }
}
