package org.restorelab.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  @Test
  void formatsDurations() {
    assertThat(ProgressLine.formatDuration(3725)).isEqualTo("1h02m05s");
    assertThat(ProgressLine.formatDuration(372)).isEqualTo("6m12s");
    assertThat(ProgressLine.formatDuration(5)).isEqualTo("5s");
    assertThat(ProgressLine.formatDuration(0)).isEqualTo("0s");
    assertThat(ProgressLine.formatDuration(60)).isEqualTo("1m00s");
    assertThat(ProgressLine.formatDuration(3600)).isEqualTo("1h00m00s");
    assertThat(ProgressLine.formatDuration(90061)).isEqualTo("25h01m01s");
  }

  @Test
  void formatsTheProgressLine() {
    double[] v = {0.6931, 1.3862, 0.0000123, Double.NaN};
    // 18766 steps left at 45.1 it/s = 416.1 s
    assertThat(ProgressLine.format(1234, 20000, 45.1, List.of("loss_estimator", "loss_critic", "r1", "loss_robust"), v)).isEqualTo(
        "[#...................] 1234/20000  6.2%  45.1 it/s  ETA 6m56s"
            + "  loss_estimator=0.693 loss_critic=1.386 r1=1.230e-05 loss_robust=NaN");
    // 10000 left at 2.684 it/s = 3725.8 s -> 3726 s
    assertThat(ProgressLine.format(10000, 20000, 2.684, List.of("l"), new double[] {-2}))
        .isEqualTo("[##########..........] 10000/20000  50.0%  2.7 it/s  ETA 1h02m06s  l=-2.000");
    // below 1 it/s the rate is shown as seconds per step
    assertThat(ProgressLine.format(99, 100, 0.2, List.of("l"), new double[] {0}))
        .isEqualTo("[###################.] 99/100  99.0%  5.0 s/it  ETA 5s  l=0.000");
    assertThat(ProgressLine.format(100, 100, Double.NaN, List.of("l"),
        new double[] {Double.NEGATIVE_INFINITY}))
        .isEqualTo("[####################] 100/100  100.0%  -- it/s  ETA 0s  l=-Inf");
    assertThat(ProgressLine.format(3, 100, Double.NaN, List.of("l"), new double[] {1e6}))
        .isEqualTo("[....................] 3/100  3.0%  -- it/s  ETA --  l=1.000e+06");
  }
}
