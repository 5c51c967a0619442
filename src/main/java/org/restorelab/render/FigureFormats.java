package org.restorelab.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.restorelab.config.FigureFormat;

/**
 * The formats a chart is written in, from the config's {@code figure_formats}: PNG and SVG when
 * none is given; a format listed twice is written once.
 */
public record FigureFormats(List<FigureFormat> list) {

  /** What an empty {@code figure_formats} means. */
  public static final FigureFormats DEFAULT = new FigureFormats(List.of(FigureFormat.PNG, FigureFormat.SVG));

  public FigureFormats {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("figure_formats: expected at least one format");
    }
    list = List.copyOf(list);
  }

  /** The configured formats, in order and without repeats, or {@link #DEFAULT} when none is configured. */
  public static FigureFormats of(List<FigureFormat> configured) {
    List<FigureFormat> distinct = new ArrayList<>();
    for (FigureFormat f : configured) {
      if (!distinct.contains(f)) {
        distinct.add(f);
      }
    }
    return distinct.isEmpty() ? DEFAULT : new FigureFormats(distinct);
  }

  /** The file names of figure {@code stem}, one per format, e.g. {@code figure8.png}. */
  public List<String> fileNames(String stem) {
    return list.stream().map(f -> fileName(stem, f)).toList();
  }

  /** The file a report embeds: the PNG when written, else the SVG, else the PDF. */
  public String shown(String stem) {
    for (FigureFormat f : List.of(FigureFormat.PNG, FigureFormat.SVG, FigureFormat.PDF)) {
      if (list.contains(f)) {
        return fileName(stem, f);
      }
    }
    throw new IllegalStateException("no format in " + list);
  }

  static String fileName(String stem, FigureFormat format) {
    return stem + "." + format.name().toLowerCase(Locale.ROOT);
  }
}
