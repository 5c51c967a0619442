package org.restorelab.data.image;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a NumPy {@code .npy} array (format versions 1, 2 and 3): the magic string
 * {@code \x93NUMPY}, the version, the header length, then a Python dict literal such as
 * {@code {'descr': '|u1', 'fortran_order': False, 'shape': (1000, 12288), }}.
 *
 * @param length bytes before the array data (magic, version, length field and header text)
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape, int length) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** The number of elements: the product of the shape. */
  public long elements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The shape as "[a, b]". */
  public String shapeText() {
    return java.util.Arrays.toString(shape);
  }

  /**
   * Reads the header from the start of {@code in}, leaving the stream at the array data.
   *
   * @throws IOException when the stream is not an .npy array or its header is malformed
   */
  public static NpyHeader read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[MAGIC.length];
    data.readFully(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a .npy array (no \\x93NUMPY magic string)");
    }
    int major = data.readUnsignedByte();
    data.readUnsignedByte(); // minor
    long headerLength;
    int prefix;
    if (major == 1) {
      headerLength = data.readUnsignedByte() | (data.readUnsignedByte() << 8);
      prefix = 10;
    } else if (major == 2 || major == 3) {
      headerLength = (data.readUnsignedByte() | (data.readUnsignedByte() << 8) | (data.readUnsignedByte() << 16))
          | ((long) data.readUnsignedByte() << 24);
      prefix = 12;
    } else {
      throw new IOException(".npy format version " + major + " is not supported (1, 2 or 3)");
    }
    if (headerLength > 1 << 20) {
      throw new IOException(".npy header of " + headerLength + " bytes is implausibly long");
    }
    byte[] text = new byte[(int) headerLength];
    data.readFully(text);
    String header = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
    Object parsed = new Literal(header).parseWhole();
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw new IOException(".npy header is not a dict: " + header);
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw new IOException(".npy header has no string 'descr': " + header);
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new IOException(".npy header has no boolean 'fortran_order': " + header);
    }
    if (!(dict.get("shape") instanceof List<?> shapeList)) {
      throw new IOException(".npy header has no tuple 'shape': " + header);
    }
    long[] shape = new long[shapeList.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(shapeList.get(i) instanceof Long d) || d < 0) {
        throw new IOException(".npy header 'shape' is not a tuple of non-negative integers: " + header);
      }
      shape[i] = d;
    }
    return new NpyHeader(descr, fortran, shape, (int) (prefix + headerLength));
  }

  /** A parser for the Python literals of .npy headers: dicts, strings, booleans, int tuples. */
  private static final class Literal {
    private final String s;
    private int pos;

    Literal(String s) {
      this.s = s;
    }

    Object parseWhole() throws IOException {
      Object value = value();
      skipSpace();
      if (pos != s.length()) {
        throw error("trailing text");
      }
      return value;
    }

    private Object value() throws IOException {
      skipSpace();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      if (c == '{') {
        Map<String, Object> map = new HashMap<>();
        pos++;
        while (!peek('}')) {
          Object key = value();
          if (!(key instanceof String k)) {
            throw error("a dict key that is not a string");
          }
          expect(':');
          map.put(k, value());
          if (!peek('}')) {
            expect(',');
          }
        }
        pos++;
        return map;
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        List<Object> list = new ArrayList<>();
        pos++;
        while (!peek(close)) {
          list.add(value());
          if (!peek(close)) {
            expect(',');
          }
        }
        pos++;
        return list;
      }
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0) {
          throw error("an unterminated string");
        }
        String text = s.substring(pos + 1, end);
        pos = end + 1;
        return text;
      }
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
        pos++;
      }
      String word = s.substring(start, pos);
      switch (word) {
        case "True":
          return Boolean.TRUE;
        case "False":
          return Boolean.FALSE;
        default:
          try {
            return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
          } catch (NumberFormatException e) {
            throw error("an unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
          }
      }
    }

    private boolean peek(char c) throws IOException {
      skipSpace();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos) == c;
    }

    private void expect(char c) throws IOException {
      if (!peek(c)) {
        throw error("'" + c + "' expected");
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private IOException error(String what) {
      return new IOException("malformed .npy header (" + what + " at character " + pos + "): " + s);
    }
  }
}
