package org.restorelab.run;

import com.google.gson.JsonObject;

/**
 * What a job hands back to be written: the numbers, the Markdown report, and the final status
 * of the run ("finished", or "interrupted" for a training run stopped early to be resumed).
 */
public record JobOutput(JsonObject results, String report, String status) {
  public JobOutput(JsonObject results, String report) {
    this(results, report, "finished");
  }
}
