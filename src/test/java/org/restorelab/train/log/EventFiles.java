package org.restorelab.train.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.TensorProto;

/** Test-side reader of TensorBoard event files (TFRecord framing + Event protos). */
final class EventFiles {

  /** One scalar point: tag, step, value. */
  record Scalar(String tag, long step, float value) {}

  private EventFiles() {}

  /** The event files of a folder, sorted by name. */
  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  /**
   * Reads all records of a TFRecord file: uint64 length, uint32 masked CRC32C of the length,
   * data, uint32 masked CRC32C of the data (all little-endian). Both CRCs are verified.
   */
  static List<Event> read(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (buf.remaining() > 0) {
      if (buf.remaining() < 12) {
        throw new IOException(file + ": truncated record header");
      }
      byte[] lengthBytes = new byte[8];
      buf.get(lengthBytes);
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      int lengthCrc = buf.getInt();
      if (lengthCrc != maskedCrc(lengthBytes)) {
        throw new IOException(file + ": bad length CRC");
      }
      if (length < 0 || buf.remaining() < length + 4) {
        throw new IOException(file + ": truncated record");
      }
      byte[] data = new byte[(int) length];
      buf.get(data);
      int dataCrc = buf.getInt();
      if (dataCrc != maskedCrc(data)) {
        throw new IOException(file + ": bad data CRC");
      }
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  static int maskedCrc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  /** The scalar points of the events, whether written as simple_value or as a scalar tensor. */
  static List<Scalar> scalars(List<Event> events) {
    List<Scalar> out = new ArrayList<>();
    for (Event e : events) {
      if (!e.hasSummary()) {
        continue;
      }
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.hasSimpleValue()) {
          out.add(new Scalar(v.getTag(), e.getStep(), v.getSimpleValue()));
        } else if (v.hasTensor()) {
          out.add(new Scalar(v.getTag(), e.getStep(), scalarOf(v.getTensor())));
        }
      }
    }
    return out;
  }

  static float scalarOf(TensorProto t) {
    if (t.getDtype() == DataType.DT_FLOAT) {
      if (t.getFloatValCount() > 0) {
        return t.getFloatVal(0);
      }
      return t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }
    if (t.getDtype() == DataType.DT_DOUBLE) {
      if (t.getDoubleValCount() > 0) {
        return (float) t.getDoubleVal(0);
      }
      return (float) t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
          .getDouble();
    }
    throw new IllegalArgumentException("not a float scalar tensor: " + t.getDtype());
  }

  /**
   * The scalars TensorBoard shows for a run folder: files in order, and a {@code SessionLog START}
   * at step s discards the points seen so far with step >= s (TensorBoard's orphan purge).
   */
  static List<Scalar> visibleScalars(Path dir) throws IOException {
    List<Scalar> seen = new ArrayList<>();
    for (Path f : list(dir)) {
      for (Event e : read(f)) {
        if (e.hasSessionLog()
            && e.getSessionLog().getStatus() == org.tensorflow.proto.SessionLog.SessionStatus.START) {
          seen.removeIf(s -> s.step() >= e.getStep());
        }
        seen.addAll(scalars(List.of(e)));
      }
    }
    return seen;
  }
}
