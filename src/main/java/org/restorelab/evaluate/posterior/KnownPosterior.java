package org.restorelab.evaluate.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.PosteriorMetricsConfig;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.task.Inpainting;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;

/**
 * The posterior of the hidden factors given a measurement, where it is known: the procedural
 * faces ({@link ProceduralFaces}) under inpainting of their upper three quarters. All ten factors
 * are independent and uniform, and the hidden ones (hair_style 5, hair_color 6, eye_color 4,
 * glasses 4, brows 3 values) leave the visible bottom quarter bit-identical, so given y they are
 * still independent and uniform: K = 5 * 6 * 4 * 4 * 3 = 1440 equally likely joint modes.
 *
 * <p>Where the data fixes factors ({@code data.faces.fixed}), a fixed hidden factor has one value
 * given y: the posterior is uniform over the free hidden factors only, K = prod of their K_f (24
 * with hair_style, eye_color and brows fixed). The fixed factors are not measured (they are not
 * in {@link #names}), the exact sampler keeps them, and coverage and its floor count the K
 * modes of the free ones.
 *
 * @param names the hidden factors measured (the free ones), in ProceduralFaces' factor order
 * @param indices their indices in {@link ProceduralFaces#factorNames()}
 * @param cardinalities K_f, their numbers of values
 * @param fixedCodes the data's fixed factors, one code per factor of {@link
 *     ProceduralFaces#factorNames()} ({@link ProceduralFaces#FREE} where free): the data this
 *     posterior belongs to
 */
public record KnownPosterior(List<String> names, int[] indices, int[] cardinalities, int[] fixedCodes) {

  /** prod_f K_f, the number of equally likely joint modes. */
  public long modes() {
    long k = 1;
    for (int c : cardinalities) {
      k *= c;
    }
    return k;
  }

  /**
   * The posterior of {@code c}'s data and task, with {@code c.posterior}'s hidden factors; an error
   * naming the data set, the task or the factor when the posterior is not known.
   */
  public static KnownPosterior of(ImageEvaluationConfig c) {
    PosteriorMetricsConfig p = c.getPosterior();
    ImageDataConfig data = c.getData();
    if (data.getSourceCase() != ImageDataConfig.SourceCase.FACES) {
      throw new ConfigException("image_evaluation.posterior: data set '" + dataSet(data) + "' has no known posterior"
          + " (only the procedural faces, data { faces { } }, have one); remove the posterior block");
    }
    RestorationTask task = Tasks.create(c.getTask(), data.getImageSize(), "image_evaluation.task");
    int bottom = ProceduralFaces.bottomQuarterStart(data.getImageSize());
    if (!(task instanceof Inpainting inpainting) || inpainting.maskedRows() != bottom) {
      throw new ConfigException("image_evaluation.posterior: the faces' posterior is known for inpainting of the upper "
          + bottom + " of " + data.getImageSize() + " rows (masked_fraction 0.75); task " + task.name()
          + (task instanceof Inpainting i ? " masks " + i.maskedRows() + " rows" : "") + " has no known posterior");
    }
    if (!p.getClassifier().hasPath() || p.getClassifier().getPath().isEmpty()) {
      throw new ConfigException("image_evaluation.posterior.classifier.path is empty: give the factor classifier"
          + " SavedModel (savedmodels/cpu/faces-features)");
    }
    for (String field : List.of("inputs", "samples")) {
      int v = (int) p.getField(PosteriorMetricsConfig.getDescriptor().findFieldByName(field));
      if (v < 1) {
        throw new ConfigException("image_evaluation.posterior." + field + " must be >= 1, got " + v);
      }
    }
    List<String> all = ProceduralFaces.factorNames();
    int[] fixed = ProceduralFaces.fixedCodes(data.getFaces(), "image_evaluation.data.faces");
    List<String> free = hiddenByMask().stream().filter(n -> fixed[all.indexOf(n)] == ProceduralFaces.FREE).toList();
    List<String> wanted = p.getHiddenFactorCount() == 0 ? free : p.getHiddenFactorList();
    for (String name : wanted) {
      if (!all.contains(name)) {
        throw new ConfigException("image_evaluation.posterior.hidden_factor '" + name + "' is not a factor of the"
            + " faces (" + String.join(", ", all) + ")");
      }
      if (ProceduralFaces.bottomQuarterFactors().contains(name)) {
        throw new ConfigException("image_evaluation.posterior.hidden_factor '" + name + "' shows in the visible bottom"
            + " quarter, so its posterior is not uniform; hidden factors: " + String.join(", ", hiddenByMask()));
      }
      if (wanted.indexOf(name) != wanted.lastIndexOf(name)) {
        throw new ConfigException("image_evaluation.posterior.hidden_factor '" + name + "' is given twice");
      }
      int j = all.indexOf(name);
      if (fixed[j] != ProceduralFaces.FREE) {
        throw new ConfigException("image_evaluation.posterior.hidden_factor '" + name + "' is fixed by"
            + " image_evaluation.data.faces.fixed (" + name + " = " + ProceduralFaces.factorValueNames().get(j).get(fixed[j])
            + "), so its posterior is that one value, not uniform; free hidden factors: "
            + (free.isEmpty() ? "none" : String.join(", ", free)));
      }
    }
    if (wanted.isEmpty()) {
      throw new ConfigException("image_evaluation.posterior: image_evaluation.data.faces.fixed fixes every hidden factor ("
          + String.join(", ", hiddenByMask()) + "), so no posterior is left to measure; free one of them or remove"
          + " the posterior block");
    }
    List<String> names = all.stream().filter(wanted::contains).toList();
    int[] card = ProceduralFaces.factorCardinalities();
    int[] indices = names.stream().mapToInt(all::indexOf).toArray();
    return new KnownPosterior(names, indices, Arrays.stream(indices).map(i -> card[i]).toArray(), fixed);
  }

  /** The data's fixed factors by name, with their values' names, in factor order (empty: none). */
  public Map<String, String> fixed() {
    return Collections.unmodifiableMap(fixedByName(fixedCodes));
  }

  /**
   * Checks that {@code set} is the data of this posterior: it fixes the same factors to the same
   * values. Faces that fix other factors have another posterior given y (and the exact sampler
   * would keep values this posterior calls free, or draw ones it calls fixed).
   *
   * @param what names the set in the error (plural: "... faces")
   */
  public void requireDataOf(ProceduralFaces set, String what) {
    if (!Arrays.equals(set.fixedCodes(), fixedCodes)) {
      throw new IllegalArgumentException(what + " fix " + describe(fixedByName(set.fixedCodes()))
          + ", the posterior is that of faces fixing " + describe(fixed()));
    }
  }

  private static Map<String, String> fixedByName(int[] codes) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int j = 0; j < codes.length; j++) {
      if (codes[j] != ProceduralFaces.FREE) {
        out.put(ProceduralFaces.factorNames().get(j), ProceduralFaces.factorValueNames().get(j).get(codes[j]));
      }
    }
    return out;
  }

  private static String describe(Map<String, String> fixed) {
    return fixed.isEmpty() ? "no factor" : String.join(", ", fixed.entrySet().stream()
        .map(e -> e.getKey() + " = " + e.getValue()).toList());
  }

  /** The factors the inpainting mask hides: every factor that does not show in the bottom quarter. */
  public static List<String> hiddenByMask() {
    List<String> out = new ArrayList<>(ProceduralFaces.factorNames());
    out.removeAll(ProceduralFaces.bottomQuarterFactors());
    return out;
  }

  /** {@code visible} with the hidden factors set to {@code hidden} (codes in {@link #names} order). */
  public ProceduralFaces.Factors withHidden(ProceduralFaces.Factors visible, int[] hidden) {
    int[] codes = visible.codes();
    for (int f = 0; f < indices.length; f++) {
      codes[indices[f]] = hidden[f];
    }
    return ProceduralFaces.Factors.fromCodes(codes);
  }

  /** The hidden factors' codes of {@code factors}, in {@link #names} order. */
  public int[] hiddenCodes(ProceduralFaces.Factors factors) {
    int[] codes = factors.codes();
    return Arrays.stream(indices).map(i -> codes[i]).toArray();
  }

  private static String dataSet(ImageDataConfig data) {
    return switch (data.getSourceCase()) {
      case FOLDER -> "folder " + data.getFolder().getPath();
      case CELEBA -> "celeba";
      default -> data.getSourceCase().name().toLowerCase(Locale.ROOT);
    };
  }
}
