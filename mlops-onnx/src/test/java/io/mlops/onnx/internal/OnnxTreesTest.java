package io.mlops.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader of tree ensembles from ONNX bytes: the chapter's 50-tree forest read whole and its
 * TreeSHAP equal to the brute-force Shapley values (5 features, every subset); damaged bytes never
 * throw (empty, or some ensemble, never an exception).
 */
class OnnxTreesTest {

    static final Path CHAPTER = Path.of("src/test/resources/models/chapter_forest.onnx");

    @Test
    void theChaptersForestReadsAndItsTreeShapIsExact() throws Exception {
        byte[] bytes = Files.readAllBytes(CHAPTER);
        OnnxTrees.Ensemble e = OnnxTrees.read(new ByteArrayInputStream(bytes), 5).orElseThrow();
        assertThat(e.trees().trees()).hasSize(50);
        assertThat(e.outputs()).containsExactly("0", "1");
        assertThat(e.postTransform()).isEqualTo("NONE");
        assertThat(e.offset()).isNotNull(); // the pipeline's StandardScaler
        Random r = new Random(5);
        List<double[]> background = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double[] b = new double[5];
            for (int f = 0; f < 5; f++) {
                b[f] = (float) r.nextGaussian();
            }
            background.add(e.treeRow(b));
        }
        DecisionTrees trees = e.trees().withCovers(background);
        TreeShap shap = new TreeShap(trees);
        for (int n = 0; n < 10; n++) {
            double[] x = background.get(n);
            double[][] phi = shap.shap(x);
            double[][] exact = TreeShapTest.bruteForce(trees, x);
            for (int f = 0; f < 5; f++) {
                for (int k = 0; k < 2; k++) {
                    assertThat(phi[f][k]).isCloseTo(exact[f][k], within(1e-9));
                }
            }
        }
    }

    @Test
    void damagedBytesNeverThrow() throws Exception {
        byte[] bytes = Files.readAllBytes(CHAPTER);
        assertThat(OnnxTrees.read(new ByteArrayInputStream(new byte[0]), 5)).isEmpty();
        assertThat(OnnxTrees.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length / 2)), 5)).isEmpty();
        assertThat(OnnxTrees.read(new ByteArrayInputStream(bytes), 3)).as("a feature beyond the matrix's width").isEmpty();
        Random r = new Random(1);
        byte[] noise = new byte[100_000];
        r.nextBytes(noise);
        assertThat(OnnxTrees.read(new ByteArrayInputStream(noise), 5)).isEmpty();
        int ensembles = 0;
        for (int i = 0; i < 300; i++) {
            byte[] flipped = bytes.clone();
            for (int j = 0; j < 3; j++) {
                flipped[r.nextInt(flipped.length)] ^= (byte) (1 << r.nextInt(8));
            }
            Optional<OnnxTrees.Ensemble> e = OnnxTrees.read(new ByteArrayInputStream(flipped), 5); // never throws
            if (e.isPresent()) {
                ensembles++;
                new TreeShap(e.get().trees()).shap(new double[5]); // and what it reads can be explained
            }
        }
        assertThat(ensembles).as("most flips land in numbers: still an ensemble").isPositive();
    }
}
