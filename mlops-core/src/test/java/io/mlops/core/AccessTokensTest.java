package io.mlops.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Roles grant what the ones below them grant; bad tokens are refused without being quoted; nothing prints a token. */
class AccessTokensTest {

    @Test
    void rolesAreOrderedAndTokensNeverShown() {
        AccessTokens t = AccessTokens.builder().token(AccessTokens.Role.READER, "r".repeat(16))
                .token(AccessTokens.Role.DEPLOYER, "d".repeat(16)).build();
        assertThat(t.allows("r".repeat(16), AccessTokens.Role.READER)).isTrue();
        assertThat(t.allows("r".repeat(16), AccessTokens.Role.DEPLOYER)).isFalse();
        assertThat(t.allows("d".repeat(16), AccessTokens.Role.READER)).isTrue();
        assertThat(t.allows("d".repeat(16), AccessTokens.Role.ADMIN)).isFalse();
        assertThat(t.allows("d".repeat(15), AccessTokens.Role.READER)).isFalse();
        assertThat(t.allows(null, AccessTokens.Role.READER)).isFalse();
        assertThat(t.roleOf("d".repeat(16))).contains(AccessTokens.Role.DEPLOYER);
        assertThat(t.grants(AccessTokens.Role.DEPLOYER)).isTrue();
        assertThat(t.grants(AccessTokens.Role.ADMIN)).isFalse();
        assertThat(t.has(AccessTokens.Role.READER)).isTrue();
        assertThat(t.toString()).doesNotContain("rrrr").doesNotContain("dddd");
        assertThat(AccessTokens.builder().build().grants(AccessTokens.Role.READER)).isFalse();
    }

    @Test
    void shortBlankAndRepeatedTokensAreRefusedUnquoted() {
        assertThatThrownBy(() -> AccessTokens.builder().token(AccessTokens.Role.READER, "short-secret"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("short-secret");
        assertThatThrownBy(() -> AccessTokens.builder().token(AccessTokens.Role.READER, " ".repeat(20)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessTokens.builder().token(AccessTokens.Role.READER, "same-token-same-token")
                .token(AccessTokens.Role.ADMIN, "same-token-same-token")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("same-token");
    }
}
