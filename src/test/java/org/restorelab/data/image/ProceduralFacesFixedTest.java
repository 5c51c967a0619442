package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.TextFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ProceduralFacesConfig;

/**
 * {@code faces { fixed { factor: ... value: ... } }}: the fixed factors hold in every image, the
 * free ones are exactly those of the same set without fixing (all ten are drawn, then the fixed
 * ones overwritten), and a bad name is one line naming the element.
 */
class ProceduralFacesFixedTest {
  private static final int SIZE = 32;

  private static ProceduralFacesConfig faces(String text) throws TextFormat.ParseException {
    ProceduralFacesConfig.Builder b = ProceduralFacesConfig.newBuilder();
    TextFormat.merge(text, b);
    return b.build();
  }

  private static final String FIXED24 = """
      train_size: 400 validation_size: 300
      fixed { factor: "hair_style" value: "short" }
      fixed { factor: "eye_color" value: "blue" }
      fixed { factor: "brows" value: "thick" }
      """;

  @Test
  void fixedFactorsHoldInEveryImageAndTheFreeOnesAreThoseOfTheUnfixedSet() throws Exception {
    ProceduralFacesConfig fixed = faces(FIXED24);
    ProceduralFacesConfig free = fixed.toBuilder().clearFixed().build();
    List<String> names = ProceduralFaces.factorNames();
    int hairStyle = names.indexOf("hair_style");
    int eyeColor = names.indexOf("eye_color");
    int brows = names.indexOf("brows");
    for (Split split : Split.values()) {
      ProceduralFaces a = new ProceduralFaces(fixed, SIZE, 11, split);
      ProceduralFaces b = new ProceduralFaces(free, SIZE, 11, split);
      int[] expected = new int[names.size()];
      java.util.Arrays.fill(expected, ProceduralFaces.FREE);
      expected[hairStyle] = ProceduralFaces.HairStyle.SHORT.ordinal();
      expected[eyeColor] = ProceduralFaces.EyeColor.BLUE.ordinal();
      expected[brows] = ProceduralFaces.Brows.THICK.ordinal();
      assertThat(a.fixedCodes()).containsExactly(expected);
      assertThat(b.fixedCodes()).containsOnly(ProceduralFaces.FREE);
      int changed = 0;
      for (int i = 0; i < a.size(); i++) {
        ProceduralFaces.Factors f = a.factors(i);
        assertThat(f.hairStyle()).isEqualTo(ProceduralFaces.HairStyle.SHORT);
        assertThat(f.eyeColor()).isEqualTo(ProceduralFaces.EyeColor.BLUE);
        assertThat(f.brows()).isEqualTo(ProceduralFaces.Brows.THICK);
        int[] fc = f.codes();
        int[] uc = b.factors(i).codes();
        for (int j = 0; j < names.size(); j++) {
          if (expected[j] == ProceduralFaces.FREE) {
            assertThat(fc[j]).as(split + " " + i + " " + names.get(j)).isEqualTo(uc[j]);
          }
        }
        changed += java.util.Arrays.equals(fc, uc) ? 0 : 1;
      }
      // the unfixed set keeps all three at the fixed values in 1/5 * 1/4 * 1/3 = 1/60 of the images
      assertThat(changed).isGreaterThan(a.size() * 9 / 10);
    }
    // reading renders the fixed factors (rendering itself is unchanged)
    ProceduralFaces v = new ProceduralFaces(fixed, SIZE, 11, Split.VALIDATION);
    for (int i = 0; i < 4; i++) {
      float[] x = new float[v.pixels()];
      v.read(i, x, 0);
      assertThat(x).containsExactly(ProceduralFaces.render(v.factors(i), SIZE));
    }
  }

  @Test
  void everyFactorCanBeFixedByItsValueNames() throws Exception {
    List<String> names = ProceduralFaces.factorNames();
    List<List<String>> values = ProceduralFaces.factorValueNames();
    for (int j = 0; j < names.size(); j++) {
      for (int v = 0; v < values.get(j).size(); v++) {
        ProceduralFacesConfig c = faces("train_size: 20 validation_size: 0 fixed { factor: \"" + names.get(j)
            + "\" value: \"" + values.get(j).get(v) + "\" }");
        int[] codes = ProceduralFaces.fixedCodes(c, "data.faces");
        assertThat(codes[j]).isEqualTo(v);
        ProceduralFaces set = new ProceduralFaces(c, SIZE, 2, Split.TRAIN);
        for (int i = 0; i < set.size(); i++) {
          assertThat(set.factors(i).codes()[j]).isEqualTo(v);
        }
      }
    }
  }

  @Test
  void anUnknownFactorOrValueOrAFactorFixedTwiceIsOneLineNamingTheElement() throws Exception {
    ImageDataConfig.Builder data = ImageDataConfig.newBuilder().setImageSize(SIZE);
    data.setFaces(faces("fixed { factor: \"hair_style\" value: \"short\" } fixed { factor: \"hair_color\" value: \"blu\" }"));
    assertThatThrownBy(() -> ImageSets.validate(data.build(), "image_gan.data")).isInstanceOf(ConfigException.class)
        .hasMessage("image_gan.data.faces.fixed[1].value: \"blu\" is not a value of hair_color (expected one of black, brown,"
            + " blond, red, grey, blue)");
    data.setFaces(faces("fixed { factor: \"hair\" value: \"black\" }"));
    assertThatThrownBy(() -> ImageSets.validate(data.build(), "image_evaluation.data"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("image_evaluation.data.faces.fixed[0].factor: \"hair\" is not a factor of the faces (expected one of"
            + " hair_style, hair_color, eye_color, glasses, brows, skin_tone, face_width, background, mouth, shirt)");
    data.setFaces(faces("fixed { factor: \"brows\" value: \"thin\" } fixed { factor: \"glasses\" value: \"none\" }"
        + " fixed { factor: \"brows\" value: \"thin\" }"));
    assertThatThrownBy(() -> ImageSets.validate(data.build(), "conditional_flow.data"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("conditional_flow.data.faces.fixed[2].factor: \"brows\" is fixed twice (also by"
            + " conditional_flow.data.faces.fixed[0])");
    data.setFaces(faces("fixed { factor: \"glasses\" }"));
    assertThatThrownBy(() -> ImageSets.validate(data.build(), "image_gan.data")).isInstanceOf(ConfigException.class)
        .hasMessage("image_gan.data.faces.fixed[0].value: \"\" is not a value of glasses (expected one of none, round, square,"
            + " sunglasses)");
    // opening the set checks them too, under data.faces
    assertThatThrownBy(() -> ImageSets.open(data.build(), Split.TRAIN, 0)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("data.faces.fixed[0].value: \"\" is not a value of glasses");
    // names are the lower-case ones of factorNames() / factorValueNames()
    data.setFaces(faces("fixed { factor: \"glasses\" value: \"Round\" }"));
    assertThatThrownBy(() -> ImageSets.validate(data.build(), "d")).hasMessageStartingWith(
        "d.faces.fixed[0].value: \"Round\" is not a value of glasses");
    // other sources have nothing to check
    ImageSets.validate(ImageDataConfig.newBuilder().setTextures(
        org.restorelab.config.ProceduralTexturesConfig.getDefaultInstance()).build(), "image_gan.data");
  }

  @Test
  void theTwentyFourModesOfTheShippedVariantRenderDistinctlyAboveTheMask() throws Exception {
    // hair colour x glasses over the fixed short hair, blue eyes and thick brows, for 10 visible
    // contexts: every pair of modes differs in the masked upper three quarters (the closest pair,
    // round vs square glasses on black hair, by an RMS of 0.016 to 0.03 over all of it)
    ProceduralFaces set = new ProceduralFaces(faces(FIXED24), SIZE, 5, Split.VALIDATION);
    int hairColor = ProceduralFaces.factorNames().indexOf("hair_color");
    int glasses = ProceduralFaces.factorNames().indexOf("glasses");
    int upper = ProceduralFaces.bottomQuarterStart(SIZE) * SIZE * 3;
    for (int input = 0; input < 10; input++) {
      ProceduralFaces.Factors context = set.factors(input);
      float[][] modes = new float[24][];
      for (int c = 0; c < 6; c++) {
        for (int g = 0; g < 4; g++) {
          modes[c * 4 + g] = ProceduralFaces.render(context.with(hairColor, c).with(glasses, g), SIZE);
        }
      }
      double smallest = Double.POSITIVE_INFINITY;
      for (int a = 0; a < 24; a++) {
        for (int b = a + 1; b < 24; b++) {
          double se = 0;
          for (int p = 0; p < upper; p++) {
            double d = modes[a][p] - modes[b][p];
            se += d * d;
          }
          smallest = Math.min(smallest, Math.sqrt(se / upper));
        }
      }
      assertThat(smallest).as("input " + input).isGreaterThan(0.01);
    }
  }
}
