package org.restorelab.config;

/**
 * A config that cannot be used: unreadable, unparsable, an unknown field, a bad override or a
 * value out of range. The message names the file or field and says what was expected. The CLI
 * maps it to exit code 2.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
