package org.restorelab.analytic;

import com.google.gson.JsonObject;

/** One part of the analytic report: its numbers and its Markdown. */
public record Section(JsonObject results, String markdown) {}
