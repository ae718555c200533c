package io.mlops.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetTest {

    @Test
    void builderKeepsColumnOrderTypesAndValues() {
        Dataset d = Dataset.builder()
                .numeric("feature1", new double[] {1.5, Double.NaN, -2})
                .categorical("category1", new String[] {"A", null, "A"})
                .build();

        assertThat(d.rowCount()).isEqualTo(3);
        assertThat(d.columnNames()).containsExactly("feature1", "category1");
        assertThat(d.schema().columns()).containsExactly(
                new Schema.Column("feature1", ColumnType.NUMERIC), new Schema.Column("category1", ColumnType.CATEGORICAL));
        assertThat(d.numeric("feature1")).containsExactly(1.5, Double.NaN, -2.0);
        assertThat(d.categorical("category1")).containsExactly("A", null, "A");
        assertThat(d.categories("category1")).containsExactly("A");
        assertThat(d.toString()).isEqualTo("Dataset[3 rows x 2 columns: feature1 (numeric), category1 (categorical)]");
    }

    @Test
    void copyNumericFillsTheCallersArray() {
        Dataset d = Dataset.builder().numeric("x", new double[] {3, Double.NaN, -1}).categorical("c", new String[] {"a", "b", "c"})
                .build();
        double[] target = {9, 9, 9};
        d.copyNumeric("x", target);
        assertThat(target).containsExactly(3.0, Double.NaN, -1.0);
        target[0] = 100; // the dataset keeps its own values
        assertThat(d.numeric("x")).containsExactly(3.0, Double.NaN, -1.0);
        assertThatThrownBy(() -> d.copyNumeric("x", new double[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the target holds 2 values, the column 3");
        assertThatThrownBy(() -> d.copyNumeric("c", new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not NUMERIC");
    }

    @Test
    void countsCategoriesAndMissingValues() {
        Dataset d = Dataset.builder()
                .numeric("x", new double[] {1, Double.NaN, 3, Double.NaN})
                .categorical("c", new String[] {"b", "a", null, "b"})
                .build();
        assertThat(d.categoryCounts("c")).containsExactly(java.util.Map.entry("b", 2L), java.util.Map.entry("a", 1L));
        assertThat(d.missingCount("x")).isEqualTo(2);
        assertThat(d.missingCount("c")).isEqualTo(1);
    }

    @Test
    void arraysAreCopiedInAndOut() {
        double[] values = {1, 2, 3};
        Dataset d = Dataset.builder().numeric("x", values).build();
        values[0] = 99;
        d.numeric("x")[1] = 99;
        assertThat(d.numeric("x")).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsUnequalLengthsNamingTheColumns() {
        assertThatThrownBy(() -> Dataset.builder()
                .numeric("a", new double[3])
                .categorical("b", new String[2])
                .build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("{a=3, b=2}");
    }

    @Test
    void rejectsDuplicateAndInvalidColumnNames() {
        assertThatThrownBy(() -> Dataset.builder().numeric("a", new double[1]).categorical("a", new String[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate column name 'a'");
        assertThatThrownBy(() -> Dataset.builder().numeric("", new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 256 characters");
        assertThatThrownBy(() -> Dataset.builder().numeric(" a", new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("white space");
        assertThatThrownBy(() -> Dataset.builder().numeric("a\nb", new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
        assertThatThrownBy(() -> Dataset.builder().numeric(null, new double[1]))
                .isInstanceOf(NullPointerException.class);
        // spaces inside a name are fine: CSV headers often have them
        assertThat(Dataset.builder().numeric("customer age", new double[1]).build().columnNames())
                .containsExactly("customer age");
    }

    @Test
    void wrongColumnKindOrMissingColumnIsAClearError() {
        Dataset d = Dataset.builder().numeric("x", new double[1]).build();
        assertThatThrownBy(() -> d.categorical("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'x' is NUMERIC, not CATEGORICAL");
        assertThatThrownBy(() -> d.numeric("y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column 'y'; columns are [x]");
    }

    @Test
    void toBuilderAddsAndRemovesColumnsWithoutTouchingTheOriginal() {
        Dataset v1 = Dataset.builder()
                .numeric("feature1", new double[] {1, 2})
                .numeric("feature2", new double[] {3, 4})
                .build();
        Dataset v2 = v1.toBuilder().remove("feature2").numeric("feature3", new double[] {5, 6}).build();

        assertThat(v1.columnNames()).containsExactly("feature1", "feature2");
        assertThat(v2.columnNames()).containsExactly("feature1", "feature3");
        assertThatThrownBy(() -> v1.toBuilder().remove("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyDatasets() {
        Dataset none = Dataset.builder().build();
        assertThat(none.rowCount()).isZero();
        assertThat(none.columnCount()).isZero();
        Dataset noRows = Dataset.builder().numeric("x", new double[0]).build();
        assertThat(noRows.rowCount()).isZero();
        assertThat(noRows.contentHash()).isNotEqualTo(none.contentHash());
    }

    @Test
    void equalityTreatsAllNaNsAsOneAndSignedZerosAsDistinct() {
        double otherNaN = Double.longBitsToDouble(0x7ff0000000000001L);
        Dataset a = Dataset.builder().numeric("x", new double[] {Double.NaN, 0.0}).build();
        Dataset b = Dataset.builder().numeric("x", new double[] {otherNaN, 0.0}).build();
        Dataset c = Dataset.builder().numeric("x", new double[] {Double.NaN, -0.0}).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.contentHash()).isEqualTo(b.contentHash());
        assertThat(a).isNotEqualTo(c);
        assertThat(a.contentHash()).isNotEqualTo(c.contentHash());
    }
}
