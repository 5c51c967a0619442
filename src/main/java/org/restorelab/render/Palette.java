package org.restorelab.render;

import java.awt.Color;

/**
 * Colours for figures: the ten matplotlib "tab10" colours plus two grays, one light for shaded
 * regions (drawn beneath data) and one darker for gray point clouds.
 */
public final class Palette {

  /** Light gray for filled regions such as the support of a distribution. */
  public static final Color GRAY_REGION = new Color(0xD3D3D3);
  /** Mid gray for point clouds drawn over a {@link #GRAY_REGION}. */
  public static final Color GRAY_POINTS = new Color(0x7F7F7F);
  /** tab:blue. */
  public static final Color BLUE = new Color(0x1F77B4);
  /** tab:orange. */
  public static final Color ORANGE = new Color(0xFF7F0E);
  /** tab:green. */
  public static final Color GREEN = new Color(0x2CA02C);
  /** tab:red. */
  public static final Color RED = new Color(0xD62728);
  /** tab:purple. */
  public static final Color PURPLE = new Color(0x9467BD);
  /** tab:brown. */
  public static final Color BROWN = new Color(0x8C564B);

  private static final Color[] CYCLE = {
    BLUE, ORANGE, GREEN, RED, PURPLE, BROWN,
    new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)
  };

  private Palette() {}

  /** Returns the {@code i}-th colour of the tab10 cycle; any integer is accepted (wraps around). */
  public static Color cycle(int i) {
    return CYCLE[Math.floorMod(i, CYCLE.length)];
  }
}
