package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature files: little-endian float32 rows, read back bit for bit; a wrong size is named. */
class FeatureFileTest {
  @Test
  void writesLittleEndianRowsAndReadsThemBackBitForBit(@TempDir Path dir) throws IOException {
    float[] data = {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, 3e-8f, -7.25f};
    Path file = dir.resolve("f.f32");
    FeatureFile.write(file, new Features(data, 3, 2));
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes).hasSize(24);
    assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(4)).isEqualTo(-0f);
    Features back = FeatureFile.read(file, 3, 2);
    assertThat(back.data()).containsExactly(data);
    assertThat(back.count()).isEqualTo(3);

    float[] prefix = new float[4];
    FeatureFile.readInto(file, prefix, 4);
    assertThat(prefix).containsExactly(1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE);
  }

  @Test
  void aFileOfTheWrongSizeIsRefusedNamingIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("short.f32");
    FeatureFile.write(file, new Features(new float[6], 3, 2));
    assertThatThrownBy(() -> FeatureFile.read(file, 4, 2)).isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("24 bytes, expected 4 rows of 2 float32 = 32");
    assertThatThrownBy(() -> FeatureFile.readInto(file, new float[8], 8)).isInstanceOf(IOException.class)
        .hasMessageContaining("ends before float 8 of the 8 expected");
  }
}
