package org.restorelab.render;

import java.util.List;

/** The texts around a panel's axes: title lines (possibly none) and optional axis labels. */
record PanelText(List<String> titleLines, String xLabel, String yLabel) {

  PanelText {
    titleLines = List.copyOf(titleLines);
  }
}
