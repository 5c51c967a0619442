package org.restorelab.estimator.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.op.Op;

/**
 * Collects the assignments of a data-dependent initialization pass (Glow's ActNorm init, Kingma
 * and Dhariwal 2018, section 3.1). In that pass every ActNorm normalizes its input with the batch's
 * own per-channel mean and standard deviation, so each layer sees what it will see after all
 * layers before it are initialized: running every collected assignment in one session run on one
 * batch gives the same values as initializing the layers one after another.
 */
public final class DataInitialization {
  private final List<Op> assignments = new ArrayList<>();

  void add(Op assignment) {
    assignments.add(assignment);
  }

  /** The assignments, to run together on the first training batch. */
  public List<Op> assignments() {
    return Collections.unmodifiableList(assignments);
  }
}
