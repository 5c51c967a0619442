package org.restorelab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.restorelab.config.FigureFormat.PDF;
import static org.restorelab.config.FigureFormat.PNG;
import static org.restorelab.config.FigureFormat.SVG;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ExperimentConfig;

class FigureFormatsTest {

  @Test
  void anUnsetFieldMeansPngAndSvg() {
    FigureFormats formats = FigureFormats.of(ExperimentConfig.getDefaultInstance().getFigureFormatsList());
    assertThat(formats.list()).containsExactly(PNG, SVG);
    assertThat(formats.fileNames("figure8")).containsExactly("figure8.png", "figure8.svg");
  }

  @Test
  void configuredFormatsKeepTheirOrderAndARepeatIsWrittenOnce() {
    assertThat(FigureFormats.of(List.of(PDF, SVG, PDF)).fileNames("f")).containsExactly("f.pdf", "f.svg");
  }

  @Test
  void theReportShowsThePngWhenWrittenElseTheSvgElseThePdf() {
    assertThat(FigureFormats.of(List.of(PDF, SVG, PNG)).shown("f")).isEqualTo("f.png");
    assertThat(FigureFormats.of(List.of(PDF, SVG)).shown("f")).isEqualTo("f.svg");
    assertThat(FigureFormats.of(List.of(PDF)).shown("f")).isEqualTo("f.pdf");
  }
}
