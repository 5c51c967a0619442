package org.restorelab.run;

import com.google.gson.JsonObject;

/** What a job hands back to be written: the numbers and the Markdown report. */
public record JobOutput(JsonObject results, String report) {}
