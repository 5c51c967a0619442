package org.restorelab.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run records both the working directory's commit and the commit its classes were built from
 * (restorelab.properties, filled by the build), so a jar built earlier cannot pass for the
 * working tree's code.
 */
class ProvenanceTest {
  @Test
  void aRunRecordsTheCommitItsClassesWereBuiltFromBesideTheWorkingTreesCommit() {
    JsonObject run = Provenance.capture("train", List.of("train", "--config", "c.pbtxt"), "exp", 7);
    String built = run.get("build_commit").getAsString();
    String tree = run.get("git_commit").getAsString();
    assertThat(built).isEqualTo(BuildInfo.commit());
    assertThat(run.get("build_dirty").getAsString()).isIn("true", "false", "unknown");
    if (tree.equals("unknown")) { // a build outside a repository knows no commit either
      assertThat(built).isEqualTo("unknown");
    } else { // the test's classes were built from this working tree by the same build
      assertThat(built).matches("[0-9a-f]{40}").isEqualTo(tree);
    }
    assertThat(run.get("seed").getAsString()).isEqualTo("7");
    assertThat(run.get("status").getAsString()).isEqualTo("running");
  }
}
