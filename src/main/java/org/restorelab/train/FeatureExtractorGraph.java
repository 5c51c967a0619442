package org.restorelab.train;

import java.util.List;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.metric.FactorClassifier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph of the feature extractor, float32 NHWC: the {@link FactorClassifier} on
 * fed images and factor codes, its summed cross-entropy, per-factor batch accuracy and one Adam
 * step over the classifier's variables. The same {@link #features} and {@link #logits} serve
 * evaluation (there is no batch norm or dropout: training and inference are the same function).
 */
public final class FeatureExtractorGraph implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final Parameters<TFloat32> params;
  final FactorClassifier<TFloat32> classifier;
  final AdamOptimizer adam;
  /** Images [n, S, S, 3] in [0, 1]. */
  final Placeholder<TFloat32> images;
  /** Factor codes [n, factors] (ProceduralFaces.Factors#codes). */
  final Placeholder<TInt32> codes;
  /** [n, feature_dim]. */
  final Operand<TFloat32> features;
  /** [n, sum of cardinalities]. */
  final Operand<TFloat32> logits;
  final Operand<TFloat32> loss;
  /** Per-factor accuracy on the fed batch, [factors]. */
  final Operand<TFloat32> accuracy;
  final Op step;
  final VariableStore variables;

  public FeatureExtractorGraph(FeatureExtractorConfig config, long masterSeed) {
    int side = config.getData().getImageSize();
    int[] cardinalities = ProceduralFaces.factorCardinalities();
    params = new Parameters<>(tf, FactorClassifier.NETWORK, masterSeed, TFloat32.class);
    classifier = new FactorClassifier<>(params, side, config.getWidth(), config.getFeatureDim(), cardinalities);
    adam = new AdamOptimizer(tf, params, config.getOptimizer());
    images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
    codes = tf.withName("codes").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, cardinalities.length)));
    features = tf.withName("features").identity(classifier.features(tf, images));
    List<Operand<TFloat32>> perFactor = classifier.logits(tf, features);
    logits = tf.withName("logits").identity(classifier.concatenated(tf, perFactor));
    loss = tf.withName("loss").identity(classifier.loss(tf, perFactor, codes));
    accuracy = tf.withName("accuracy").identity(classifier.accuracy(tf, perFactor, codes));
    step = adam.apply(Graphs.gradients(tf, loss, params.reads()));
    variables = new VariableStore(tf, List.of(params, adam.slots()));
  }

  public FactorClassifier<TFloat32> classifier() {
    return classifier;
  }

  @Override
  public void close() {
    graph.close();
  }
}
