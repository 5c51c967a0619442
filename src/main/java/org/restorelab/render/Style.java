package org.restorelab.render;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;

/** Fonts, spacings and rendering hints shared by all figure parts (for ~300-400 px panels). */
final class Style {

  /** Measuring context matching the hints set by {@link #applyHints}. */
  static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  static final Font EXPONENT_FONT = TICK_FONT.deriveFont(8f);
  static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font SUPTITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  static final Font LEGEND_FONT = TICK_FONT.deriveFont(10.5f);

  /** Outer padding of a panel and of the figure title band, in pixels. */
  static final double PAD = 6;
  /** Space between a tick mark and its label, or between stacked text elements. */
  static final double GAP = 3;
  /** Length of the outward tick marks. */
  static final double TICK_LENGTH = 4;

  private Style() {}

  /** Anti-aliased, fractional-metric, pure-stroke rendering (matches {@link #FRC}). */
  static void applyHints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
        RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
  }
}
