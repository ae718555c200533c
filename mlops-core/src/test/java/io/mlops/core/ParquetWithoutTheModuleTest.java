package io.mlops.core;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Core has no Parquet of its own: without mlops-parquet on the class path the error says which dependency to add. */
class ParquetWithoutTheModuleTest {

    @Test
    void readingAndWritingParquetNameTheModuleToAdd() {
        Dataset d = Dataset.builder().numeric("x", new double[] {1}).build();
        assertThatThrownBy(() -> Dataset.readParquet(Path.of("train.parquet")))
                .isInstanceOf(MlopsException.class).hasMessageContaining("io.mlops:mlops-parquet");
        assertThatThrownBy(() -> d.writeParquet(Path.of("train.parquet")))
                .isInstanceOf(MlopsException.class).hasMessageContaining("io.mlops:mlops-parquet");
    }
}
