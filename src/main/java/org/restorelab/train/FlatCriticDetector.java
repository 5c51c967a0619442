package org.restorelab.train;

import java.util.Locale;
import org.restorelab.config.FlatCriticConfig;

/**
 * Watches a GAN critic's loss for the plateau at chance: with the non-saturating loss
 * E softplus(-D(x)) + E softplus(D(x_hat)), a critic whose logits are 0 everywhere scores
 * 2 softplus(0) = 2 ln 2 = 1.386 and gives the estimator no signal. A step is flat when
 * |loss - 2 ln 2| <= tolerance (a NaN loss is not flat); the critic is flat once {@code steps}
 * consecutive steps are. {@link #runLength()} is the current run of flat steps (0 after a step that
 * is not flat): what metrics.csv logs as {@code critic_flat_steps}.
 */
public final class FlatCriticDetector {
  /** The critic loss at chance: 2 softplus(0) = 2 ln 2. */
  public static final double CHANCE_LOSS = 2 * Math.log(2);

  private final double tolerance;
  private final long steps;
  private long runLength;

  public FlatCriticDetector(FlatCriticConfig config) {
    this(config.getTolerance(), config.getSteps());
  }

  public FlatCriticDetector(double tolerance, long steps) {
    this.tolerance = tolerance;
    this.steps = steps;
  }

  /** Takes one step's critic loss; returns the run of flat steps that ends with it (0 if it is not flat). */
  public long observe(double criticLoss) {
    runLength = Math.abs(criticLoss - CHANCE_LOSS) <= tolerance ? runLength + 1 : 0;
    return runLength;
  }

  /** The run of consecutive flat steps ending with the last observed one. */
  public long runLength() {
    return runLength;
  }

  /** Whether the critic is flat: the last {@code steps} observed steps all were. */
  public boolean flat() {
    return runLength >= steps;
  }

  /**
   * Whether the last observed step is the one at which the run reached {@code steps}: true once
   * per flat stretch, so a stop fires once and a resumed run goes on past it.
   */
  public boolean becameFlat() {
    return runLength == steps;
  }

  /** Continues a run of {@code runLength} flat steps (a resumed run's, from its checkpoint). */
  public void restore(long runLength) {
    if (runLength < 0) {
      throw new IllegalArgumentException("a run of flat steps cannot be negative: " + runLength);
    }
    this.runLength = runLength;
  }

  /** The tolerance as configured, e.g. "0.01". */
  String toleranceText() {
    return Double.toString(tolerance);
  }

  /**
   * The warning while flat, stable over a flat stretch: "critic flat since step 51: loss_critic
   * within 0.01 of 2 ln 2 = 1.386 for 200+ steps" ({@code step} the 1-based step just done).
   */
  public String warning(long step) {
    return String.format(Locale.ROOT, "critic flat since step %d: loss_critic within %s of 2 ln 2 = %.3f for %d+ steps",
        step - runLength + 1, toleranceText(), CHANCE_LOSS, steps);
  }
}
