package org.restorelab.metric;

/**
 * A set of feature vectors, row-major float32: row i is {@code data[i*dim .. (i+1)*dim)}.
 * Flat storage keeps 50,000 x 2048 features in one 400 MB array.
 */
public record Features(float[] data, int count, int dim) {
  public Features {
    if (count < 0 || dim <= 0 || (long) count * dim != data.length) {
      throw new IllegalArgumentException("features: " + data.length + " values cannot be "
          + count + " rows of dimension " + dim);
    }
  }

  /** Row i, copied. */
  public float[] row(int i) {
    float[] r = new float[dim];
    System.arraycopy(data, i * dim, r, 0, dim);
    return r;
  }

  /** Features from float64 rows (all of the same length). */
  public static Features of(double[][] rows) {
    int dim = rows.length == 0 ? 1 : rows[0].length;
    float[] data = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != dim) {
        throw new IllegalArgumentException("row " + i + " has dimension " + rows[i].length + ", expected " + dim);
      }
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] = (float) rows[i][j];
      }
    }
    return new Features(data, rows.length, dim);
  }
}
