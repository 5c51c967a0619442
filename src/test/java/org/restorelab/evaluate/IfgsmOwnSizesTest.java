package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.IfgsmEvaluationConfig;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.Image;
import org.restorelab.data.image.ImageFiles;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.data.image.Split;
import org.restorelab.savedmodel.SpatialSizes;

/**
 * {@code evaluate ifgsm} on an image folder at the images' own sizes (size policy
 * CROP_TO_MULTIPLE, the community's modcrop): an any-size model's curve over a folder of mixed
 * sizes is the mean of its single-image runs; a fixed-size model in the same run gets the centre
 * crops, as without; 61x83 is cropped to 60x80 (top-left kept) and runs padded to 64x80.
 */
class IfgsmOwnSizesTest {
  private static final int SCALE = 4;

  /** A PNG of h x w with a gradient and noise from {@code seed} (also the own-size image evaluation's test data). */
  static void png(Path file, int h, int w, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 60 + (x * 3 + y * 2) % 120 + r.nextInt(40);
        img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2));
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private static IfgsmEvaluationConfig config(Path folder, ImageFolderDataConfig.SizePolicy policy,
      List<SavedModelConfig> models) {
    IfgsmEvaluationConfig.Builder b = IfgsmEvaluationConfig.newBuilder().setInputs(10).setBatchSize(2)
        .setLowResolution(IfgsmEvaluationConfig.LowResolution.MATLAB_BICUBIC).addAllModel(models);
    b.getDataBuilder().setImageSize(32).getFolderBuilder().setPath(folder.toString()).setSizePolicy(policy)
        .setMultipleOf(SCALE);
    b.getTaskBuilder().getSuperResolutionBuilder().setScale(SCALE);
    b.getIfgsmBuilder().addAlpha255(2).addAlpha255(8).setSteps(4);
    return b.build();
  }

  private static IfgsmEvaluation.Outcome run(IfgsmEvaluationConfig c) {
    return IfgsmEvaluation.run(c, 11, () -> false, new PrintWriter(new StringWriter()));
  }

  @Test
  void aFolderOfMixedSizesGivesTheMeanOfItsSingleImageRuns(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.anySizeBlur(tmp.resolve("any"), SCALE);
    ImageClosedFormModels.affine(tmp.resolve("fixed"), 32, SCALE, 1.5f, -0.1f, 0f);
    SavedModelConfig any = SavedModelConfig.newBuilder().setPath(tmp.resolve("any").toString()).setName("Any").build();
    SavedModelConfig fixed = SavedModelConfig.newBuilder().setPath(tmp.resolve("fixed").toString()).setName("Fixed")
        .setSignature("restore").setInputY("measurement").setInputZ("latent").setOutput("image")
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.ZERO).setDim(32 * 32 * 3)).build();
    Path folder = tmp.resolve("set");
    Files.createDirectories(folder);
    String[] names = {"a.png", "b.png", "c.png"};
    int[][] sizes = {{61, 83}, {40, 44}, {36, 52}};
    for (int i = 0; i < 3; i++) {
      png(folder.resolve(names[i]), sizes[i][0], sizes[i][1], i);
    }
    IfgsmEvaluation.Outcome all = run(config(folder, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, List.of(any, fixed)));
    assertThat(all.images().ownSizes()).containsExactly("36x52", "40x44", "60x80");
    assertThat(all.images().centreCropped()).containsExactly("Fixed");
    assertThat(all.images().count()).isEqualTo(3);

    double[][] sumOut = new double[1][2];
    double[][] sumIn = new double[1][2];
    for (int i = 0; i < 3; i++) {
      Path one = tmp.resolve("one-" + i);
      Files.createDirectories(one);
      Files.copy(folder.resolve(names[i]), one.resolve(names[i]));
      IfgsmEvaluation.Curve k = run(config(one, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, List.of(any)))
          .curves().get(0);
      for (int a = 0; a < 2; a++) {
        sumOut[0][a] += k.outputPsnr()[a];
        sumIn[0][a] += k.inputPsnr()[a];
      }
    }
    IfgsmEvaluation.Curve anyCurve = all.curves().get(0);
    for (int a = 0; a < 2; a++) {
      assertThat(anyCurve.outputPsnr()[a]).isCloseTo(sumOut[0][a] / 3, within(1e-9));
      assertThat(anyCurve.inputPsnr()[a]).isCloseTo(sumIn[0][a] / 3, within(1e-9));
      assertThat(anyCurve.inputPsnr()[a]).isBetween(20.0, 80.0); // an attack of alpha <= 8/255 happened
      assertThat(anyCurve.outputPsnr()[a]).isBetween(10.0, 80.0);
    }
    // the fixed-size model: exactly what a centre-cropping run gives
    IfgsmEvaluation.Curve cropped = run(config(folder, ImageFolderDataConfig.SizePolicy.CENTER_CROP, List.of(fixed)))
        .curves().get(0);
    assertThat(all.curves().get(1).outputPsnr()).containsExactly(cropped.outputPsnr());
    assertThat(all.curves().get(1).inputPsnr()).containsExactly(cropped.inputPsnr());
  }

  @Test
  void modcropKeepsTheTopLeftMultipleOfTheScaleAndTheModelPadsTheRest(@TempDir Path tmp) throws IOException {
    Path folder = tmp.resolve("set");
    Files.createDirectories(folder);
    png(folder.resolve("odd.png"), 61, 83, 5);
    ImageFolderDataConfig c = ImageFolderDataConfig.newBuilder().setPath(folder.toString())
        .setSizePolicy(ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE).setMultipleOf(SCALE).build();
    Image cropped = new ImageFolderSet(c, 32, Split.VALIDATION).readWhole(0);
    Image decoded = ImageFiles.decode(folder.resolve("odd.png")).image();
    assertThat(cropped.height()).isEqualTo(60);
    assertThat(cropped.width()).isEqualTo(80);
    assertThat(cropped.get(59, 79, 1)).isEqualTo(decoded.get(59, 79, 1));
    // the U-Net's rule: output sides multiples of 16, so 60x80 runs at 64x80 (LR 15x20 padded to 16x20)
    SpatialSizes unet = SpatialSizes.anySize(16, SCALE, List.of(new SpatialSizes.NoiseLevel(1, 2),
        new SpatialSizes.NoiseLevel(8, 2)));
    assertThat(unet.lowResolutionMultiple()).isEqualTo(4);
    assertThat(unet.padded(60)).isEqualTo(64);
    assertThat(unet.padded(80)).isEqualTo(80);
    assertThat(unet.noiseDim(60, 80)).isEqualTo(64 * 80 * 2 + 8 * 10 * 2);
    // x3 on a U-Net: output sides multiples of lcm(16, 3) = 48
    assertThat(SpatialSizes.anySize(16, 3, List.of()).padded(51)).isEqualTo(96);
  }

  @Test
  void aModcropThatIsNotAMultipleOfTheScaleIsRefusedByName(@TempDir Path tmp) throws IOException {
    Path folder = tmp.resolve("set");
    Files.createDirectories(folder);
    png(folder.resolve("odd.png"), 61, 83, 5);
    IfgsmEvaluationConfig c = config(folder, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, List.of(
        SavedModelConfig.newBuilder().setPath(tmp.toString()).build()));
    IfgsmEvaluationConfig wrong = c.toBuilder().setData(c.getData().toBuilder().setFolder(
        c.getData().getFolder().toBuilder().setMultipleOf(6))).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IfgsmEvaluation.validate(wrong))
        .isInstanceOf(ConfigException.class).hasMessageContaining("multiple_of = 6")
        .hasMessageContaining("multiple of the scale 4");
  }
}
