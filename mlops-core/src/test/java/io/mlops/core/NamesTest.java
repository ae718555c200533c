package io.mlops.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"customer_churn_predictor", "a", "A1", "1.0", "model-v2.onnx", "x_y-z.w"})
    void acceptsValidNames(String name) {
        assertThat(Names.validate("model name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "", "..", ".", ".hidden", "-x", "_x", "a..b", "a\\b", "a b", "caf\u00e9", "a\u0000b",
            "C:x"})
    void rejectsUnsafeNames(String name) {
        assertThatThrownBy(() -> Names.validate("model name", name))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("Invalid model name '")
                .hasMessageContaining(Names.PATTERN);
        assertThat(Names.isValid(name)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void rejectsNamesLongerThan128Characters() {
        String name = "a".repeat(200);
        assertThatThrownBy(() -> Names.validate("dataset name", name))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("200 characters long (at most 128)");
        assertThat(Names.isValid("a".repeat(128))).isTrue();
        assertThat(Names.isValid("a".repeat(129))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void explainsWhy() {
        assertThatThrownBy(() -> Names.validate("alias", "../x")).hasMessageContaining("contains '..'");
        assertThatThrownBy(() -> Names.validate("alias", "")).hasMessageContaining("it is empty");
        assertThatThrownBy(() -> Names.validate("alias", "a/b")).hasMessageContaining("may contain only");
        assertThatThrownBy(() -> Names.validate("alias", null)).isInstanceOf(NullPointerException.class);
    }
}
