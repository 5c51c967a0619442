package org.restorelab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TicksTest {

  @Test
  void unitRangeGetsStepsOfOneFifth() {
    assertThat(Ticks.ticks(0, 1)).containsExactly(0, 0.2, 0.4, 0.6, 0.8, 1.0);
  }

  @Test
  void symmetricRangeGetsHalfSteps() {
    assertThat(Ticks.ticks(-1.1, 1.1)).containsExactly(-1, -0.5, 0, 0.5, 1);
    assertThat(Ticks.ticks(-1.5, 1.5)).containsExactly(-1.5, -1, -0.5, 0, 0.5, 1, 1.5);
  }

  @Test
  void largeAndSmallRangesUseDecimalSteps() {
    assertThat(Ticks.ticks(0, 100)).containsExactly(0, 20, 40, 60, 80, 100);
    assertThat(Ticks.ticks(3.15, 3.92)).containsExactly(3.2, 3.4, 3.6, 3.8);
    assertThat(Ticks.ticks(0.0011, 0.0049)).containsExactly(0.002, 0.003, 0.004);
  }

  @Test
  void log2TicksArePowersOfTwoThinnedToEight() {
    assertThat(Ticks.log2Ticks(0.9, 130)).containsExactly(1, 2, 4, 8, 16, 32, 64, 128);
    assertThat(Ticks.log2Ticks(0.9, 1100)).containsExactly(1, 4, 16, 64, 256, 1024);
    assertThat(Ticks.log2Ticks(0.2, 0.6)).containsExactly(0.25, 0.5);
  }

  @Test
  void log2RangeWithoutPowersFallsBackToLinearTicks() {
    assertThat(Ticks.log2Ticks(5, 7)).containsExactly(5, 5.5, 6, 6.5, 7);
  }

  @Test
  void emptyOrNonPositiveRangesAreRejected() {
    assertThatThrownBy(() -> Ticks.ticks(1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ticks.log2Ticks(0, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelsShareTheFewestExactDecimalsAndUseAMinusSign() {
    TickLabel[] labels = TickLabel.forTicks(new double[] {-0.5, 0, 0.5, 1}, false);

    assertThat(labels).extracting(TickLabel::base)
        .containsExactly("\u22120.5", "0.0", "0.5", "1.0");
    assertThat(labels).extracting(TickLabel::exponent).containsOnlyNulls();
  }

  @Test
  void log2LabelsArePowersOfTwo() {
    TickLabel[] labels = TickLabel.forTicks(new double[] {0.5, 1, 8}, true);

    assertThat(labels).extracting(TickLabel::exponent).containsExactly("\u22121", "0", "3");
    assertThat(labels).extracting(TickLabel::base).containsOnly("2");
  }
}
