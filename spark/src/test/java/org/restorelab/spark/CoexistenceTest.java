package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * TF-Java 1.1.0 (on protobuf-java 3.21.9) and Spark 4 in one JVM: the core parses a config and
 * runs a TensorFlow graph on the driver and inside Spark tasks, and the libraries that could
 * clash each come once, in the versions the module pins.
 */
class CoexistenceTest {
  /** (a + b) * b, as a TensorFlow graph. */
  static double tensorflow(double a, double b) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var y = tf.math.mul(tf.math.add(tf.constant(a), tf.constant(b)), tf.constant(b));
      try (Result r = s.runner().fetch(y).run()) {
        return ((TFloat64) r.get(0)).getDouble();
      }
    }
  }

  @Test
  void tensorflowAndSparkRunInOneJvm() throws Exception {
    ExperimentConfig config = ConfigLoader.parse("""
        name: "coexistence"
        seed: 7
        toy_gan { steps: 3 r1_gamma: 1 }
        """, "inline");
    assertThat(config.getToyGan().getSteps()).isEqualTo(3);
    assertThat(ExperimentConfig.parseFrom(config.toByteArray())).isEqualTo(config);
    assertThat(tensorflow(2, 3)).isEqualTo(15.0);

    SparkConf conf = new SparkConf().setAppName("coexistence").setMaster("local[2]").set("spark.ui.enabled", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      // a plain Spark job
      assertThat(sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 2).map(x -> x * x).reduce(Integer::sum)).isEqualTo(91);
      // the core's protobuf messages shipped to tasks as bytes, and TensorFlow run inside the tasks
      byte[] bytes = config.toByteArray();
      List<Double> out = sc.parallelize(List.of(1.0, 2.0), 2)
          .map(a -> tensorflow(a, ExperimentConfig.parseFrom(bytes).getToyGan().getR1Gamma() + 1)).collect();
      assertThat(out).containsExactly(6.0, 8.0);
    }
  }

  @Test
  void protobufIsTheCoresAndSparksIsShaded() throws Exception {
    assertThat(jarOf(com.google.protobuf.Message.class)).contains("protobuf-java-3.21.9");
    Class<?> shaded = Class.forName("org.sparkproject.spark_core.protobuf.Message");
    assertThat(jarOf(shaded)).contains("spark-core_2.13-4.2.0");
  }

  @Test
  void jacksonNettyAndGuavaComeOnceInMatchingVersions() throws Exception {
    assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString()).isEqualTo("2.21.2");
    assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()).isEqualTo("2.21.2");
    assertThat(jarOf(io.netty.channel.Channel.class)).contains("4.2.13.Final");
    assertThat(jarOf(com.google.common.collect.ImmutableList.class)).contains("guava-32.0.0-jre");
    // PDFBox's commons-logging is excluded: Spark's jcl-over-slf4j provides org.apache.commons.logging
    assertThat(jarOf(org.apache.commons.logging.LogFactory.class)).contains("jcl-over-slf4j");
    for (String resource : new String[] {"com/google/protobuf/Message.class", "com/fasterxml/jackson/core/JsonParser.class",
        "io/netty/channel/Channel.class", "com/google/common/collect/ImmutableList.class",
        "org/apache/commons/logging/LogFactory.class", "com/google/gson/Gson.class"}) {
      assertThat(java.util.Collections.list(getClass().getClassLoader().getResources(resource))).as(resource).hasSize(1);
    }
  }

  /**
   * Tink 1.20.0 is built against protobuf-java 4.x and gets 3.21.9 here. Spark's network
   * encryption (AuthEngine, GcmTransportCipher) uses only Tink's subtle primitives, which must
   * still work: X25519 agreement, HKDF, AES-GCM and the AES-GCM-HKDF stream, round trips.
   */
  @Test
  void theTinkPrimitivesSparkEncryptsWithWorkOnTheCoresProtobuf() throws Exception {
    byte[] a = com.google.crypto.tink.subtle.X25519.generatePrivateKey();
    byte[] b = com.google.crypto.tink.subtle.X25519.generatePrivateKey();
    byte[] ab = com.google.crypto.tink.subtle.X25519.computeSharedSecret(a, com.google.crypto.tink.subtle.X25519.publicFromPrivate(b));
    byte[] ba = com.google.crypto.tink.subtle.X25519.computeSharedSecret(b, com.google.crypto.tink.subtle.X25519.publicFromPrivate(a));
    assertThat(ab).isEqualTo(ba);
    byte[] key = com.google.crypto.tink.subtle.Hkdf.computeHkdf("HMACSHA256", ab, new byte[0], "restorelab".getBytes(), 16);
    byte[] message = "sweep point r1_gamma=1,seed=5".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var gcm = new com.google.crypto.tink.subtle.AesGcmJce(key);
    assertThat(gcm.decrypt(gcm.encrypt(message, new byte[0]), new byte[0])).isEqualTo(message);
    var streaming = new com.google.crypto.tink.subtle.AesGcmHkdfStreaming(key, "HmacSha256", 16, 4096, 0);
    var cipher = new java.io.ByteArrayOutputStream();
    try (var out = streaming.newEncryptingStream(cipher, new byte[0])) {
      out.write(message);
    }
    try (var in = streaming.newDecryptingStream(new java.io.ByteArrayInputStream(cipher.toByteArray()), new byte[0])) {
      assertThat(in.readAllBytes()).isEqualTo(message);
    }
  }

  private static String jarOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().toString();
  }
}
