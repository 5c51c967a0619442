// How long the procedural faces take to render on the training path: reads (renders) faces of a
// config's training split one at a time on one thread, as a BatchLoader worker does, after a
// warm-up, and prints milliseconds per face and per training iteration (an image GAN iteration
// reads two batches: the estimator's and the critic's). Compare with `bench image`'s mean
// seconds per iteration on the same machine to see the share the rendering could save if cached.
// Usage (from the repository root, after a build):
//   CONFIG=configs/cpu/inpainting-StoRobustGAN.pbtxt jshell --class-path "target/restorelab.jar:$(ls target/lib/*.jar | tr '\n' ':')" tools/face-render-time.jsh
var config = org.restorelab.config.ConfigLoader.load(java.nio.file.Path.of(System.getenv("CONFIG"))).getImageGan();
var set = org.restorelab.data.image.ImageSets.open(config.getData(), org.restorelab.data.image.Split.TRAIN, 0);
float[] dst = new float[set.pixels()];
for (int i = 0; i < 500; i++) set.read(i, dst, 0);
int n = 4000;
long t0 = System.nanoTime();
for (int i = 0; i < n; i++) set.read(500 + i, dst, 0);
double ms = (System.nanoTime() - t0) / 1e6 / n;
System.out.printf("%d faces of %dx%d rendered on one thread: %.3f ms per face, %.1f ms per iteration (2 batches of %d)%n",
    n, set.height(), set.width(), ms, 2 * ms * config.getBatchSize(), config.getBatchSize());
/exit
