package org.restorelab.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.restorelab.run.Seeds;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * The trainable variables of one network. Each variable has a flat, unique, root-scope name
 * ({@code <network>_<layer>_<w|b>}), is read through an Identity before use in math, and is
 * initialised from its own seed, derived from the master seed and its name (so two
 * same-shaped layers never start identical, and adding a layer shifts no other layer).
 *
 * @param <T> float32 for training, float64 for gradient checks
 */
public final class Parameters<T extends TFloating> {

  /** One variable: the variable op, its read (Identity) and its initialising assignment. */
  public record Parameter<T extends TFloating>(String name, Shape shape, Variable<T> variable,
      Operand<T> read, Op initializer) {}

  private final Ops tf;
  private final String network;
  private final long seed;
  private final Class<T> type;
  private final List<Parameter<T>> parameters = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  public Parameters(Ops tf, String network, long seed, Class<T> type) {
    this.tf = tf;
    this.network = network;
    this.seed = seed;
    this.type = type;
  }

  /** Creates the variable {@code <network>_<name>}. */
  public Parameter<T> create(String name, Shape shape, Initializer init) {
    String full = network + "_" + name;
    if (!names.add(full)) {
      throw new IllegalArgumentException("duplicate parameter name " + full);
    }
    Variable<T> variable = tf.withName(full).variable(shape, type);
    Operand<T> read = tf.withName(full + "_read").identity(variable);
    Op initializer = tf.withName(full + "_init").assign(variable,
        init.build(tf, shape, Seeds.derive(seed, full), type));
    Parameter<T> p = new Parameter<>(full, shape, variable, read, initializer);
    parameters.add(p);
    return p;
  }

  public Ops tf() {
    return tf;
  }

  /** The seed a variable {@code <network>_<name>} is initialised from (for initial values computed in Java). */
  public long seedOf(String name) {
    return Seeds.derive(seed, network + "_" + name);
  }

  public Class<T> type() {
    return type;
  }

  public String network() {
    return network;
  }

  public List<Parameter<T>> list() {
    return Collections.unmodifiableList(parameters);
  }

  /** The reads of every variable, in creation order (what gradients are taken against). */
  public List<Operand<T>> reads() {
    return parameters.stream().map(Parameter::read).toList();
  }

  /** The initialising assignments. */
  public List<Op> initializers() {
    return parameters.stream().map(Parameter::initializer).toList();
  }

  /** The number of scalars in all variables. */
  public long count() {
    return parameters.stream().mapToLong(p -> p.shape().size()).sum();
  }
}
