package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.junit.jupiter.api.Test;

/**
 * The masters beyond local and standalone resolve to their cluster managers on the module's class
 * path (spark-kubernetes, spark-yarn): {@code --master k8s://https://HOST:PORT} and
 * {@code --master yarn} reach Kubernetes and YARN instead of failing to parse. No cluster of either
 * kind runs here, so submitting to one is not tested.
 */
class ClusterManagersTest {
  private static List<ExternalClusterManager> managers() {
    List<ExternalClusterManager> all = new ArrayList<>();
    ServiceLoader.load(ExternalClusterManager.class).forEach(all::add);
    return all;
  }

  @Test
  void kubernetesAndYarnMastersHaveAClusterManager() {
    List<ExternalClusterManager> all = managers();
    assertThat(all.stream().filter(m -> m.canCreate("k8s://https://127.0.0.1:6443")).map(m -> m.getClass().getName()))
        .containsExactly("org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager");
    assertThat(all.stream().filter(m -> m.canCreate("yarn")).map(m -> m.getClass().getName()))
        .containsExactly("org.apache.spark.scheduler.cluster.YarnClusterManager");
    assertThat(all.stream().filter(m -> m.canCreate("local[2]") || m.canCreate("spark://127.0.0.1:7077"))).isEmpty();
  }
}
