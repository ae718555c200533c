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

    @Test
    void authorizationHeadersAreReadStrictly() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("anyone:s3cret:with:colons".getBytes());
        assertThat(AccessTokens.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(AccessTokens.bearer("bearer abc")).isEqualTo("abc");
        assertThat(AccessTokens.bearer(basic)).isNull();
        assertThat(AccessTokens.presented(basic)).isEqualTo("s3cret:with:colons");
        assertThat(AccessTokens.presented("Bearer abc")).isEqualTo("abc");
        for (String bad : new String[] {null, "", "Bearer", "Digest abc", "Basic !!!not-base64", "Basic "
                + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes()), "Bearer " + "x".repeat(5_000)}) {
            assertThat(AccessTokens.presented(bad)).as(String.valueOf(bad).length() > 50 ? "oversized" : String.valueOf(bad)).isNull();
        }
    }
}
