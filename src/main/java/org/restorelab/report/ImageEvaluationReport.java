package org.restorelab.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.evaluate.images.ImageEvaluationRun;
import org.restorelab.evaluate.posterior.ExactPosteriorSampler;
import org.restorelab.evaluate.posterior.KnownPosterior;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.metric.MetricProtocol;
import org.restorelab.metric.PosteriorMetrics;

/**
 * The results.json entry and the report.md section of one task of an image evaluation (the
 * {@code evaluate images} run), rendered from its {@link ImageEvaluationRun.Outcome}.
 */
public final class ImageEvaluationReport {
  /** Version of the layout of an image evaluation's results.json. */
  public static final String RESULTS_SCHEMA = "restorelab.evaluate-images/1";
  /** The Figure 1 style grid of a task, in its folder. */
  public static final String GRID = "figure1.png";

  private ImageEvaluationReport() {}

  /** One task's results.json entry (schema {@link #RESULTS_SCHEMA}). */
  public static JsonObject results(ImageEvaluationRun.Outcome o, ImageEvaluationConfig config) {
    JsonObject results = new JsonObject();
    results.addProperty("schema", RESULTS_SCHEMA);
    results.addProperty("task", o.task());
    results.addProperty("feature_extractor", o.extractor());
    results.addProperty("real_samples", o.realSamples());
    if (!o.results().isEmpty()) {
      JsonObject metrics = new JsonObject();
      int generated = o.results().get(0).generated();
      MetricProtocol.fid(o.realSamples(), generated).addTo(metrics);
      MetricProtocol.precisionRecall(config.getPrecisionRecall().getK(), o.realSamples(), generated).addTo(metrics);
      results.add("metrics", metrics);
    }
    if (o.reference() != null) {
      JsonObject ref = new JsonObject();
      ref.addProperty("samples", o.reference().samples());
      ref.addProperty("fid", o.reference().fid());
      ref.addProperty("precision", o.reference().precision());
      ref.addProperty("recall", o.reference().recall());
      results.add("validation_reference", ref);
    }
    JsonArray models = new JsonArray();
    for (ImageEvaluation.Result r : o.results()) {
      JsonObject m = new JsonObject();
      m.addProperty("name", r.name());
      m.addProperty("stochastic", r.stochastic());
      m.addProperty("reference", r.reference());
      m.addProperty("fid", r.fid());
      m.addProperty("precision", r.precision());
      m.addProperty("recall", r.recall());
      m.addProperty("pixel_std", r.pixelStd());
      m.addProperty("robustness_db", r.robustness());
      m.addProperty("ai_psnr_db", r.aiPsnr());
      m.addProperty("consistency_db", r.consistency());
      m.addProperty("psnr_db", r.psnr());
      if (o.sizes() != null) {
        m.addProperty("per_input_sizes", o.sizes().ownSizeModels().contains(r.name()) ? "own" : "centre_crop");
      }
      m.addProperty("per_input_inputs", r.perInputs());
      m.addProperty("generated_samples", r.generated());
      if (r.reference()) {
        m.addProperty("robustness_db_reason", NOT_DEFINED);
        m.addProperty("ai_psnr_db_reason", NOT_DEFINED);
      }
      m.addProperty("seconds", r.seconds());
      if (r.posterior() != null) {
        m.add("posterior", posteriorJson(r.posterior(), o.posterior()));
      }
      models.add(m);
    }
    results.add("models", models);
    results.add("psnr", psnrJson(ImageEvaluation.psnrConfig(config)));
    if (o.sizes() != null) {
      JsonObject images = new JsonObject();
      images.addProperty("size_policy", "CROP_TO_MULTIPLE");
      images.addProperty("multiple_of", config.getData().getFolder().getMultipleOf());
      images.addProperty("side", config.getData().getImageSize());
      JsonArray own = new JsonArray();
      o.sizes().ownSizes().forEach(own::add);
      JsonArray ownModels = new JsonArray();
      o.sizes().ownSizeModels().forEach(ownModels::add);
      JsonArray cropped = new JsonArray();
      o.sizes().centreCropped().forEach(cropped::add);
      images.add("own_sizes", own);
      images.add("own_size_models", ownModels);
      images.add("centre_cropped_models", cropped);
      images.addProperty("distribution_metrics", DISTRIBUTION_ON_CROPS);
      results.add("images", images);
    }
    Table1Claims.decide(o.results()).ifPresent(claims -> {
      JsonArray list = new JsonArray();
      for (Table1Claims.Claim c : claims) {
        JsonObject claim = new JsonObject();
        claim.addProperty("id", c.id());
        claim.addProperty("claim", c.statement());
        claim.addProperty("verdict", c.verdict().label());
        claim.addProperty("numbers", c.evidence());
        list.add(claim);
      }
      results.add("claims", list);
    });
    if (o.posterior() != null) {
      PosteriorSummary p = o.posterior();
      JsonObject post = new JsonObject();
      JsonArray factors = new JsonArray();
      for (int f = 0; f < p.posterior().names().size(); f++) {
        JsonObject factor = new JsonObject();
        factor.addProperty("name", p.posterior().names().get(f));
        factor.addProperty("values", p.posterior().cardinalities()[f]);
        factor.addProperty("classifier_held_out_accuracy", p.heldOutAccuracy()[f]);
        factors.add(factor);
      }
      post.add("hidden_factors", factors);
      JsonObject fixed = new JsonObject();
      p.posterior().fixed().forEach(fixed::addProperty);
      post.add("fixed_factors", fixed);
      post.addProperty("modes", p.posterior().modes());
      post.addProperty("inputs", p.floor().inputs());
      post.addProperty("samples", p.floor().samples());
      post.addProperty("expected_distinct_modes", p.expectedDistinct());
      post.addProperty("classifier", p.classifier());
      post.add("floor", posteriorJson(p.floor(), p));
      results.add("posterior", post);
    }
    JsonArray skipped = new JsonArray();
    for (BatchLoader.SkippedFile file : o.skipped()) {
      JsonObject f = new JsonObject();
      f.addProperty("source", file.source());
      f.addProperty("reason", file.reason());
      skipped.add(f);
    }
    results.add("skipped_files", skipped);
    return results;
  }

  /** Where FID and precision/recall are measured when the images keep their own sizes. */
  static final String DISTRIBUTION_ON_CROPS = "FID, precision/recall, the validation reference and the grid on the"
      + " image_size centre crops for every model (the feature extractor takes one size)";

  private static JsonObject psnrJson(org.restorelab.config.PsnrConfig p) {
    JsonObject o = new JsonObject();
    o.addProperty("channel", p.getChannel().name());
    o.addProperty("shave", p.getShave());
    o.addProperty("peak", p.getPeak());
    o.addProperty("round", p.getRound());
    return o;
  }

  /** The report's lines on the PSNR against the ground truth and, at own sizes, on which model ran how. */
  private static String psnrAndSizesNotes(ImageEvaluationConfig c, ImageEvaluationRun.Outcome o) {
    org.restorelab.config.PsnrConfig p = ImageEvaluation.psnrConfig(c);
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "- PSNR against the ground truth (first z draw of"
        + " each input; %s, peak %s, %d-pixel border shaved%s): %s.%n", p.getChannel() == org.restorelab.config
        .PsnrConfig.Channel.Y ? "Y channel of MATLAB's rgb2ycbcr" : "RGB", p.getPeak(), p.getShave(),
        p.getRound() ? ", rounded to the peak's integers" : "", String.join(", ", o.results().stream()
            .map(r -> String.format(Locale.ROOT, "%s %.2f dB", r.name(), r.psnr())).toList())));
    if (o.sizes() != null) {
      b.append(String.format(Locale.ROOT, "- Images at their own sizes (folder size_policy CROP_TO_MULTIPLE, cropped at"
          + " the bottom and right to multiples of %d): per-input metrics (PSNR, consistency, per-pixel std,"
          + " robustness, AI-PSNR) of %s on each validation image whole, one at a time (%s); %s. %s.%n",
          c.getData().getFolder().getMultipleOf(), o.sizes().ownSizeModels().isEmpty() ? "no any-size model"
              : "the any-size models " + String.join(", ", o.sizes().ownSizeModels()),
          o.sizes().ownSizes().isEmpty() ? "no size run" : "sizes " + String.join(", ", o.sizes().ownSizes()),
          o.sizes().centreCropped().isEmpty() ? "no fixed-size model" : "fixed-size models on "
              + c.getData().getImageSize() + "x" + c.getData().getImageSize() + " centre crops for every metric: "
              + String.join(", ", o.sizes().centreCropped()),
          Character.toUpperCase(DISTRIBUTION_ON_CROPS.charAt(0)) + DISTRIBUTION_ON_CROPS.substring(1)));
    }
    return b.toString();
  }

  /** The robustness and AI-PSNR of a reference column. */
  private static final String NOT_DEFINED = "not defined: the exact posterior sampler reads the validation factors,"
      + " not the pixels of y";

  private static JsonObject posteriorJson(PosteriorMetrics.Result m, PosteriorSummary summary) {
    JsonObject o = new JsonObject();
    JsonObject tv = new JsonObject();
    JsonObject tvSe = new JsonObject();
    for (int f = 0; f < m.factorTv().length; f++) {
      tv.addProperty(summary.posterior().names().get(f), m.factorTv()[f]);
      tvSe.addProperty(summary.posterior().names().get(f), m.factorTvStdError()[f]);
    }
    o.add("factor_tv", tv);
    o.add("factor_tv_std_error", tvSe);
    o.addProperty("factor_tv_mean", m.meanTv());
    o.addProperty("mode_coverage", m.coverage());
    o.addProperty("mode_coverage_std_error", m.coverageStdError());
    o.addProperty("collapse_rate", m.collapseRate());
    JsonObject marginal = new JsonObject();
    for (int f = 0; f < m.marginalTv().length; f++) {
      marginal.addProperty(summary.posterior().names().get(f), m.marginalTv()[f]);
    }
    o.add("marginal_tv", marginal);
    o.addProperty("marginal_tv_mean", m.meanMarginalTv());
    return o;
  }

  private static String posteriorNotes(PosteriorSummary p, String prefix, String chart) {
    return String.format(Locale.ROOT, "- Posterior metrics (Theorem 3.1: perfect perceptual quality and consistency"
        + " mean a posterior sampler): on the first %d validation inputs, %d samples each (a deterministic model's one"
        + " output counted %d times), hidden factors %s read by **%s** (argmax of each factor's logits)%s. The true"
        + " posterior is uniform over each factor's values and over the %,d joint modes. Factor TV: total variation"
        + " between the samples' and the true distribution of a factor, averaged over inputs. Mode coverage: distinct"
        + " joint modes among the samples / %.2f, what a posterior sampler reaches in expectation (K(1 - (1 - 1/K)^N))."
        + " Collapse rate: share of inputs whose samples all fall in one mode. Marginal factor TV: the same TV on"
        + " all inputs' samples pooled, against the prior, averaged over factors (perceptual quality in the hidden"
        + " factors: a deterministic model can reach the floor by choosing different hidden values for different"
        + " inputs).%n"
        + "- Floor: the exact posterior sampler at the same M and N through the same classifier, from a z stream of"
        + " its own (the column `%s` is the same sampler with the models' z stream); what finite N and the"
        + " classifier's errors leave (its held-out accuracy per factor is in the row labels; both sides carry it).%n"
        + "- Reference column `%s`: renders each validation face's visible factors with hidden factors drawn from"
        + " the prior, so it is consistent by construction; robustness and AI-PSNR are not defined for it (it reads"
        + " the factors, not the pixels).%n"
        + "- Per-factor chart (empirical vs true posterior, first %d inputs per model): `%s%s`.%n%n"
        + "![Posterior per factor](%s%s)%n%n",
        p.floor().inputs(), p.floor().samples(), p.floor().samples(), String.join(", ", p.posterior().names()),
        p.classifier(), fixedNote(p.posterior()), p.posterior().modes(), p.expectedDistinct(), ExactPosteriorSampler.NAME,
        ExactPosteriorSampler.NAME, p.examples().isEmpty() ? 0 : p.examples().get(0).codes().length, prefix,
        chart, prefix, chart);
  }

  /** "; the data fixes ..." where data.faces.fixed fixes factors, else empty. */
  private static String fixedNote(KnownPosterior posterior) {
    return posterior.fixed().isEmpty() ? "" : "; the data fixes " + String.join(", ", posterior.fixed().entrySet()
        .stream().map(e -> e.getKey() + " = " + e.getValue()).toList())
        + " (data.faces.fixed), so the posterior is over the free ones only";
  }

  /**
   * One task's section of report.md: Table 1, the claims, the protocol notes and the Figure 1 grid;
   * {@code dir} is the task's folder relative to the run folder (empty for a single task).
   */
  public static String section(ImageEvaluationConfig c, ImageEvaluationRun.Outcome o, Path dir,
      String posteriorChart) {
    int perInputs = o.results().isEmpty() ? 0 : o.results().get(0).perInputs();
    int generated = o.results().isEmpty() ? 0 : o.results().get(0).generated();
    String prefix = dir.toString().isEmpty() ? "" : dir + "/";
    return "\n## " + o.task() + " (Table 1 layout)\n\n"
        + Table1.markdown(o.results(), o.posterior()) + "\n"
        + Table1Claims.decide(o.results()).map(claims -> "### The paper's claims (section 6) at this scale\n\n"
            + Table1Claims.markdown(claims) + "\n" + String.format(Locale.ROOT, "- Thresholds: C2's \"hardly\" is an"
            + " FID ratio of at most %.2f and a recall drop of at most %.2f; C4's \"robust\" is %.1f dB of Eq. 9 above"
            + " both erratic variants; where both recalls of a pair are below %.2f, precision stands in for recall. A"
            + " two-part claim holds when both parts agree, fails when both disagree, and is undecided when they split"
            + " (`report/Table1Claims`). One seed per variant.%n%n", Table1Claims.HARDLY_FID_RATIO,
            Table1Claims.HARDLY_RECALL_DROP, Table1Claims.ROBUST_MARGIN_DB, Table1Claims.RECALL_FLOOR)).orElse("")
        + String.format(Locale.ROOT, "- FID and precision/recall (k = %d): %,d real training images vs outputs on %,d"
            + " validation inputs (one z each), features from **%s**.%n", c.getPrecisionRecall().getK(), o.realSamples(),
            generated, o.extractor())
        + String.format(Locale.ROOT, "- Per-pixel std: %d samples per input; robustness (Eq. 9), AI-PSNR and consistency:"
            + " %,d validation inputs. Attack: %d Adam steps, lr %s, epsilon %s (L2 over the measurement), %d z draws"
            + " for stochastic models.%n", c.getStdSamples(), perInputs, c.getAttack().getSteps(), c.getAttack().getLr(),
            c.getAttack().getEpsilon(), c.getAttack().getSeeds())
        + (o.reference() == null ? "" : String.format(Locale.ROOT, "- Reference: the %,d validation images themselves"
            + " (the ground truth of the inputs) against the same real set give FID %.2f, precision %.3f, recall %.3f:"
            + " the floor at this sample size in this feature space.%n", o.reference().samples(), o.reference().fid(),
            o.reference().precision(), o.reference().recall()))
        + (o.skipped().isEmpty() ? "" : String.format(Locale.ROOT, "- Bad files skipped (data.skip_bad_files), each"
            + " replaced by another image of its split: %d (%s).%n", o.skipped().size(),
            String.join(", ", o.skipped().stream().map(BatchLoader.SkippedFile::source).toList())))
        + psnrAndSizesNotes(c, o)
        + (o.posterior() == null ? "" : posteriorNotes(o.posterior(), prefix, posteriorChart))
        + "- PSNRs have peak 1; a mean squared error below 1e-10 counts as 1e-10 (100 dB), so an exactly consistent"
        + " model scores 100 dB consistency.\n"
        + "- Figure 1 layout (input as the network sees it, each model's samples, ground truth): `" + prefix + GRID
        + "`; per-model numbers: `" + prefix + "table1.csv`; LaTeX (booktabs): `" + prefix + "table1.tex`.\n\n![Figure 1 layout](" + prefix + GRID + ")\n";
  }
}
