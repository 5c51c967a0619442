package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorModelConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.TaskConfig;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.Split;
import org.restorelab.evaluate.images.ImageEvaluationRun;
import org.restorelab.metric.Features;
import org.restorelab.task.SuperResolution;

/**
 * {@code evaluate images} on an image folder at the images' own sizes (size policy
 * CROP_TO_MULTIPLE): an any-size model's per-input metrics over a folder of mixed sizes are the
 * means of its single-image runs, its PSNR and consistency are those of its closed form computed
 * here, its FID is the one of a centre-crop run, a fixed-size model in the same run gets exactly the
 * numbers of a centre-crop run, and bad combinations are refused naming the field.
 */
class ImageEvaluationOwnSizesTest {
  private static final int SCALE = 4;
  private static final int SIDE = 32;
  private static final long SEED = 7;
  private static final String[] NAMES = {"a.png", "b.png", "c.png"};
  private static final int[][] SIZES = {{61, 83}, {40, 44}, {36, 52}};

  /** The three PNGs (61x83, 40x44, 36x52) in {@code folder}. */
  private static Path folder(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (int i = 0; i < 3; i++) {
      IfgsmOwnSizesTest.png(folder.resolve(NAMES[i]), SIZES[i][0], SIZES[i][1], i);
    }
    return folder;
  }

  private static ImageEvaluationConfig config(Path folder, ImageFolderDataConfig.SizePolicy policy, Path features,
      List<SavedModelConfig> models) {
    ImageEvaluationConfig.Builder b = ImageEvaluationConfig.newBuilder()
        .setData(ImageDataConfig.newBuilder().setImageSize(SIDE).setFolder(ImageFolderDataConfig.newBuilder()
            .setPath(folder.toString()).setSizePolicy(policy).setMultipleOf(SCALE)))
        .setTask(TaskConfig.newBuilder().setSuperResolution(org.restorelab.config.SuperResolutionConfig.newBuilder()
            .setScale(SCALE)))
        .setFeatures(FeatureExtractorModelConfig.newBuilder().setPath(features.toString()).setInput("images")
            .setOutput("features"))
        .setRealSamples(3).setGeneratedSamples(3).setPrecisionRecall(PrecisionRecallConfig.newBuilder().setK(1))
        .setPerInputInputs(10).setStdSamples(2).setBatchSize(2).setSaveEvery(1)
        .setAttack(AttackConfig.newBuilder().setEpsilon(0.5).setSteps(3).setLr(1).setSeeds(2).setInitScale(0.01))
        .setGridInputs(2).setGridSamples(2);
    return b.addAllModel(models).build();
  }

  private static SavedModelConfig any(Path tmp) throws IOException {
    ImageClosedFormModels.anySizeBlur(tmp.resolve("any"), SCALE);
    return SavedModelConfig.newBuilder().setPath(tmp.resolve("any").toString()).setName("Any").build();
  }

  private static SavedModelConfig fixed(Path tmp) throws IOException {
    ImageClosedFormModels.affine(tmp.resolve("fixed"), SIDE, SCALE, 1.5f, -0.1f, 0f);
    return SavedModelConfig.newBuilder().setPath(tmp.resolve("fixed").toString()).setName("Fixed")
        .setSignature("restore").setInputY("measurement").setInputZ("latent").setOutput("image")
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.ZERO).setDim(SIDE * SIDE * 3))
        .build();
  }

  private static Path features(Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    return features;
  }

  private static ImageEvaluationRun.Outcome run(ImageEvaluationConfig c, Path dir) throws IOException {
    return ImageEvaluationRun.run(c, SEED, dir, dir.resolve("grid.png"), () -> false,
        new PrintWriter(new StringWriter()));
  }

  @Test
  void aFolderOfMixedSizesGivesTheMeanOfItsSingleImageRunsAndTheFixedModelItsCentreCrops(@TempDir Path tmp)
      throws IOException {
    Path features = features(tmp);
    SavedModelConfig any = any(tmp);
    SavedModelConfig fixed = fixed(tmp);
    Path set = folder(tmp.resolve("set"));
    ImageEvaluationConfig own = config(set, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, features,
        List.of(any, fixed));
    ImageEvaluationRun.Outcome all = run(own, tmp.resolve("run"));
    assertThat(all.sizes().ownSizes()).containsExactly("60x80", "40x44", "36x52");
    assertThat(all.sizes().ownSizeModels()).containsExactly("Any");
    assertThat(all.sizes().centreCropped()).containsExactly("Fixed");
    ImageEvaluation.Result anyResult = all.results().get(0);
    assertThat(anyResult.perInputs()).isEqualTo(3);

    // single-image runs: each image alone at its own size (same seed, the folder's crops for FID)
    ImageDataConfig cropped = OwnSizes.centreCropped(own.getData());
    ImageSet validation = ImageSets.open(cropped, Split.VALIDATION, SEED);
    ImageSet train = ImageSets.open(cropped, Split.TRAIN, SEED);
    double[] sum = new double[5];
    try (FeatureExtractor extractor = FeatureExtractor.load(own.getFeatures());
        MeasurementGraph measurements = new MeasurementGraph(new SuperResolution(SIDE, SIDE, SCALE));
        LoadedEstimator model = LoadedEstimator.load(any, new SuperResolution(SIDE, SIDE, SCALE))) {
      Features real = ImageEvaluation.features(extractor, train, 3, 2);
      for (int i = 0; i < 3; i++) {
        Path one = tmp.resolve("one-" + i);
        Files.createDirectories(one);
        Files.copy(set.resolve(NAMES[i]), one.resolve(NAMES[i]));
        ImageFolderSet alone = new ImageFolderSet(own.getData().getFolder().toBuilder().setPath(one.toString()).build(),
            SIDE, Split.VALIDATION);
        ImageEvaluation.Result r = new ImageEvaluation(own, SEED, validation, measurements,
            new PrintWriter(new StringWriter())).evaluate(model, extractor, real, tmp.resolve("partial-" + i), "Any",
                () -> false, new ImageEvaluation.AtOwnSizes(any, alone, OwnSizes.group(alone, 1), SCALE));
        assertThat(r.perInputs()).isEqualTo(1);
        double[] v = {r.psnr(), r.consistency(), r.pixelStd(), r.robustness(), r.aiPsnr()};
        for (int k = 0; k < 5; k++) {
          sum[k] += v[k] / 3;
        }
      }
    }
    assertThat(anyResult.psnr()).isCloseTo(sum[0], within(1e-9));
    assertThat(anyResult.consistency()).isCloseTo(sum[1], within(1e-9));
    assertThat(anyResult.pixelStd()).isCloseTo(sum[2], within(1e-12));
    assertThat(anyResult.robustness()).isCloseTo(sum[3], within(1e-9));
    assertThat(anyResult.aiPsnr()).isCloseTo(sum[4], within(1e-9));
    assertThat(anyResult.pixelStd()).isZero(); // noise ZERO: every draw is the same image
    assertThat(anyResult.aiPsnr()).isBetween(10.0, 80.0); // an attack happened
    assertThat(anyResult.robustness()).isBetween(10.0, 100.0);

    // the centre-crop run: the fixed model's numbers exactly; the any-size model's FID and
    // precision/recall too (they are measured on the centre crops), its per-input metrics not
    ImageEvaluationRun.Outcome crops = run(config(set, ImageFolderDataConfig.SizePolicy.CENTER_CROP, features,
        List.of(any, fixed)), tmp.resolve("crops"));
    assertThat(crops.sizes()).isNull();
    ImageEvaluation.Result f = all.results().get(1);
    ImageEvaluation.Result fc = crops.results().get(1);
    assertThat(new double[] {f.fid(), f.precision(), f.recall(), f.pixelStd(), f.robustness(), f.aiPsnr(),
        f.consistency(), f.psnr()}).containsExactly(fc.fid(), fc.precision(), fc.recall(), fc.pixelStd(),
            fc.robustness(), fc.aiPsnr(), fc.consistency(), fc.psnr());
    ImageEvaluation.Result ac = crops.results().get(0);
    assertThat(new double[] {anyResult.fid(), anyResult.precision(), anyResult.recall()})
        .containsExactly(ac.fid(), ac.precision(), ac.recall());
    assertThat(anyResult.psnr()).isNotEqualTo(ac.psnr());
  }

  @Test
  void shardsAtOwnSizesMergedGiveTheNumbersOfTheWholeRun(@TempDir Path tmp) throws IOException {
    Path features = features(tmp);
    Path set = folder(tmp.resolve("set"));
    ImageEvaluationConfig own = config(set, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, features,
        List.of(any(tmp), fixed(tmp)));
    ImageEvaluationRun.Outcome whole = run(own, tmp.resolve("whole"));
    for (int shards : new int[] {2, 3}) { // 3: one image per shard at own sizes
      Path dir = tmp.resolve("sharded-" + shards);
      for (int k = 0; k < shards; k++) {
        assertThat(ImageEvaluationRun.runShard(own, SEED, dir, k, shards, () -> false,
            new PrintWriter(new StringWriter()))).isTrue();
      }
      ImageEvaluationRun.mergeShards(own, SEED, dir, shards);
      ImageEvaluationRun.Outcome merged = run(own, dir);
      assertThat(merged.sizes()).isEqualTo(whole.sizes());
      for (int i = 0; i < 2; i++) {
        var a = whole.results().get(i);
        var b = merged.results().get(i);
        assertThat(b.name()).isEqualTo(a.name());
        assertThat(b.perInputs()).isEqualTo(a.perInputs());
        for (double[] pair : new double[][] {{b.fid(), a.fid()}, {b.precision(), a.precision()},
            {b.recall(), a.recall()}, {b.pixelStd(), a.pixelStd()}, {b.robustness(), a.robustness()},
            {b.aiPsnr(), a.aiPsnr()}, {b.consistency(), a.consistency()}, {b.psnr(), a.psnr()}}) {
          assertThat(Double.valueOf(pair[0])).as(a.name() + " " + shards + " shards").isEqualTo(Double.valueOf(pair[1]));
        }
      }
    }
  }

  @Test
  void theAnySizeModelsPsnrAndConsistencyAreThoseOfItsClosedFormAtEachImagesSize(@TempDir Path tmp)
      throws IOException {
    Path set = folder(tmp.resolve("set"));
    ImageEvaluationConfig c = config(set, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, features(tmp),
        List.of(any(tmp)));
    ImageEvaluation.Result r = run(c, tmp.resolve("run")).results().get(0);
    double psnr = 0;
    double consistency = 0;
    for (String name : NAMES) {
      double[] v = closedForm(ImageIO.read(set.resolve(name).toFile()));
      psnr += v[0] / 3;
      consistency += v[1] / 3;
    }
    assertThat(r.psnr()).isCloseTo(psnr, within(2e-4));
    assertThat(r.consistency()).isCloseTo(consistency, within(2e-4));
    assertThat(r.psnr()).isBetween(5.0, 40.0);
  }

  /**
   * For one image: modcrop to multiples of 4 (top-left kept), y = 4x4 box average, x_hat =
   * sigmoid(4 (B NN_up(y) - 1/2)) (B the 3x3 box blur, zero padding); returns the PSNR of x_hat
   * against x on MATLAB's Y, peak 255, 4 pixels shaved, and the consistency PSNR (peak 1) of
   * AvgPool(x_hat) against y, all in double precision.
   */
  private static double[] closedForm(BufferedImage img) {
    int h = img.getHeight() / SCALE * SCALE;
    int w = img.getWidth() / SCALE * SCALE;
    double[][][] x = new double[h][w][3];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        int rgb = img.getRGB(j, i);
        x[i][j][0] = ((rgb >> 16) & 255) / 255.0;
        x[i][j][1] = ((rgb >> 8) & 255) / 255.0;
        x[i][j][2] = (rgb & 255) / 255.0;
      }
    }
    int lh = h / SCALE;
    int lw = w / SCALE;
    double[][][] y = new double[lh][lw][3];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        for (int c = 0; c < 3; c++) {
          y[i / SCALE][j / SCALE][c] += x[i][j][c] / (SCALE * SCALE);
        }
      }
    }
    double[][][] xHat = new double[h][w][3];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int di = -1; di <= 1; di++) {
            for (int dj = -1; dj <= 1; dj++) {
              int a = i + di;
              int b = j + dj;
              if (a >= 0 && a < h && b >= 0 && b < w) {
                s += y[a / SCALE][b / SCALE][c];
              }
            }
          }
          xHat[i][j][c] = 1 / (1 + Math.exp(-4 * (s / 9 - 0.5)));
        }
      }
    }
    double se = 0;
    int count = 0;
    for (int i = SCALE; i < h - SCALE; i++) {
      for (int j = SCALE; j < w - SCALE; j++) {
        double d = 255 * (luma(x[i][j]) - luma(xHat[i][j]));
        se += d * d;
        count++;
      }
    }
    double psnr = 10 * Math.log10(255.0 * 255.0 / (se / count));
    double[][][] back = new double[lh][lw][3];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        for (int c = 0; c < 3; c++) {
          back[i / SCALE][j / SCALE][c] += xHat[i][j][c] / (SCALE * SCALE);
        }
      }
    }
    double cse = 0;
    for (int i = 0; i < lh; i++) {
      for (int j = 0; j < lw; j++) {
        for (int c = 0; c < 3; c++) {
          cse += (back[i][j][c] - y[i][j][c]) * (back[i][j][c] - y[i][j][c]);
        }
      }
    }
    return new double[] {psnr, 10 * Math.log10(1 / (cse / (lh * lw * 3)))};
  }

  /** MATLAB rgb2ycbcr's Y in units of 255 (written out here, not taken from metric.Psnr). */
  private static double luma(double[] rgb) {
    return (16 + 65.481 * rgb[0] + 128.553 * rgb[1] + 24.966 * rgb[2]) / 255.0;
  }

  @Test
  void inpaintingAndAModcropThatIsNotAMultipleOfTheScaleAreRefusedByField(@TempDir Path tmp) throws IOException {
    Path set = folder(tmp.resolve("set"));
    ImageEvaluationConfig c = config(set, ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE, tmp,
        List.of(SavedModelConfig.newBuilder().setPath(tmp.toString()).build()));
    ImageEvaluationConfig inpainting = c.toBuilder().setTask(TaskConfig.newBuilder()
        .setInpainting(org.restorelab.config.InpaintingConfig.newBuilder().setMaskedFraction(0.75))).build();
    assertThatThrownBy(() -> ImageEvaluationRun.validate(inpainting)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_evaluation.data.folder.size_policy = CROP_TO_MULTIPLE")
        .hasMessageContaining("needs task super_resolution, the task is inpainting");
    ImageEvaluationConfig six = c.toBuilder().setData(c.getData().toBuilder().setFolder(
        c.getData().getFolder().toBuilder().setMultipleOf(6))).build();
    assertThatThrownBy(() -> ImageEvaluationRun.validate(six)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_evaluation.data.folder.multiple_of = 6")
        .hasMessageContaining("multiple of the scale 4");
    ImageEvaluationConfig skip = c.toBuilder().setData(c.getData().toBuilder().setSkipBadFiles(true)).build();
    assertThatThrownBy(() -> ImageEvaluationRun.validate(skip)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_evaluation.data.skip_bad_files");
    ImageEvaluationConfig shave = c.toBuilder().setPsnr(org.restorelab.config.PsnrConfig.newBuilder().setShave(16))
        .build();
    assertThatThrownBy(() -> ImageEvaluationRun.validate(shave)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_evaluation.psnr.shave = 16");
  }
}
