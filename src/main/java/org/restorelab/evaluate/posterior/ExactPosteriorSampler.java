package org.restorelab.evaluate.posterior;

import java.util.SplittableRandom;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.evaluate.ImageEstimator;
import org.restorelab.evaluate.MeasurementGraph;

/**
 * The exact posterior sampler of the faces under inpainting, a reference that is not a network:
 * for validation face i with factors F, x_hat = render(F with its hidden factors replaced by
 * z), z drawn from the prior (each hidden factor uniform over its values, independently). The
 * visible factors are F's, so the bottom quarter is bit-identical to the input's (consistent by
 * construction), and x_hat | y is distributed as x | y. Factors the data fixes
 * ({@code data.faces.fixed}) are not in z: they keep the validation face's (fixed) value, and only
 * the free hidden factors are drawn.
 *
 * <p>z holds the hidden factors' codes, one float per hidden factor per row. It reads the
 * validation factors, not the pixels of y ({@link #readsPixels()} is false), so robustness is
 * not defined for it.
 */
public final class ExactPosteriorSampler implements ImageEstimator {
  /** Its name in reports. */
  public static final String NAME = "posterior sampler (exact)";

  private final ProceduralFaces validation;
  private final KnownPosterior posterior;
  private final MeasurementGraph measurements;
  private final int side;

  /**
   * @param validation the validation faces (whose index i is the evaluation's input i); they must
   *     fix the factors {@code posterior} was built for ({@link KnownPosterior#requireDataOf})
   * @param measurements the task's D, for the consistency error
   */
  public ExactPosteriorSampler(ProceduralFaces validation, KnownPosterior posterior, MeasurementGraph measurements) {
    posterior.requireDataOf(validation, "the exact posterior sampler's validation faces");
    this.validation = validation;
    this.posterior = posterior;
    this.measurements = measurements;
    this.side = validation.height();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean stochastic() {
    return true;
  }

  @Override
  public boolean readsPixels() {
    return false;
  }

  @Override
  public int signalSize() {
    return validation.pixels();
  }

  /** Hidden factor codes drawn from the prior: row r, factor f at r * F + f, uniform in [0, K_f). */
  @Override
  public float[] drawZ(int rows, SplittableRandom random) {
    int[] card = posterior.cardinalities();
    float[] z = new float[rows * card.length];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < card.length; f++) {
        z[r * card.length + f] = random.nextInt(card[f]);
      }
    }
    return z;
  }

  /**
   * The factors this sampler renders for validation input {@code input} from row {@code row} of
   * {@code z}: the input's own factors (visible and fixed) with the free hidden ones from z.
   */
  public ProceduralFaces.Factors factors(int input, float[] z, int row) {
    int factors = posterior.cardinalities().length;
    int[] hidden = new int[factors];
    for (int f = 0; f < factors; f++) {
      hidden[f] = (int) z[row * factors + f];
    }
    return posterior.withHidden(validation.factors(input), hidden);
  }

  @Override
  public Outputs sample(int first, float[] y, float[] z, int n) {
    int pixels = signalSize();
    float[] images = new float[n * pixels];
    for (int r = 0; r < n; r++) {
      ProceduralFaces.render(factors(first + r, z, r), side, images, r * pixels);
    }
    float[] degraded = measurements.degrade(images, n);
    int m = degraded.length / n;
    float[] mse = new float[n];
    for (int r = 0; r < n; r++) {
      double se = 0;
      for (int j = r * m; j < (r + 1) * m; j++) {
        double d = degraded[j] - y[j];
        se += d * d;
      }
      mse[r] = (float) (se / m);
    }
    return new Outputs(images, mse);
  }
}
