package io.mlops.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may do what on the console and the server: secret tokens, each with a {@link Role}. A token
 * is kept only as its SHA-256, compared in constant time against every token of the set (so the
 * time taken says nothing about which matched, or how much of one), and never printed —
 * {@link #toString()} counts tokens per role. Immutable and thread-safe.
 *
 * <pre>{@code
 * AccessTokens tokens = AccessTokens.builder()
 *         .token(AccessTokens.Role.READER, System.getenv("MLOPS_READER_TOKEN"))
 *         .token(AccessTokens.Role.DEPLOYER, System.getenv("MLOPS_DEPLOYER_TOKEN"))
 *         .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AccessTokens {

    /** What a token allows; each role allows what the ones before it do. */
    public enum Role {
        /** Read: the console's pages, the server's predictions and metadata. */
        READER,
        /** Change what is deployed: move and roll back aliases, approve or reject alias move requests. */
        DEPLOYER,
        /** Everything a deployer does, and the settings that are not configuration (none yet beyond the deployer's). */
        ADMIN
    }

    private record Entry(byte[] digest, Role role) {
    }

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The role of a presented token.
     *
     * @param presented the token a client gave, or null
     * @return its role, or empty when it is none of these tokens
     */
    public Optional<Role> roleOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Role found = null;
        for (Entry e : entries) { // every entry compared, whatever matched
            if (MessageDigest.isEqual(e.digest, digest) && (found == null || e.role.compareTo(found) > 0)) {
                found = e.role;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * @param presented a token, or null
     * @param needed the role an action needs
     * @return whether the token's role is at least {@code needed}
     */
    public boolean allows(String presented, Role needed) {
        return roleOf(presented).map(r -> r.compareTo(needed) >= 0).orElse(false);
    }

    /**
     * The token an {@code Authorization} header presents as {@code Bearer TOKEN}.
     *
     * @param authorization the header, or null
     * @return the token, or null when the header is absent, another scheme, or over 4,096 characters
     */
    public static String bearer(String authorization) {
        return authorization != null && authorization.length() <= 4_096 && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
    }

    /**
     * The token an {@code Authorization} header presents as {@code Bearer TOKEN} or as HTTP Basic's
     * password (what a browser sends after asking for it).
     *
     * @param authorization the header, or null
     * @return the token, or null when there is none or the header is malformed
     */
    public static String presented(String authorization) {
        String bearer = bearer(authorization);
        if (bearer != null || authorization == null || authorization.length() > 4_096
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return bearer;
        }
        try {
            String pair = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : pair.substring(colon + 1);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /**
     * @param role a role
     * @return whether any token grants at least it (else the action it guards is off)
     */
    public boolean grants(Role role) {
        return entries.stream().anyMatch(e -> e.role.compareTo(role) >= 0);
    }

    /**
     * @param role a role
     * @return whether some token has exactly this role
     */
    public boolean has(Role role) {
        return entries.stream().anyMatch(e -> e.role == role);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the number of tokens per role; never a token */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Role r : Role.values()) {
            long n = entries.stream().filter(e -> e.role == r).count();
            if (n > 0) {
                parts.add(r.name().toLowerCase(java.util.Locale.ROOT) + "=" + n);
            }
        }
        return "AccessTokens[" + String.join(", ", parts) + "]";
    }

    /** Builds a set of tokens. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final List<byte[]> seen = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a token.
         *
         * @param role what it allows
         * @param token a secret of at least 16 characters, not blank, unique in the set
         * @return this
         * @throws IllegalArgumentException when the token is too short or given twice (the message
         *     never quotes it)
         */
        public Builder token(Role role, String token) {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(token, "token");
            if (token.length() < 16 || token.isBlank()) {
                throw new IllegalArgumentException("a " + role.name().toLowerCase(java.util.Locale.ROOT)
                        + " token must have at least 16 characters");
            }
            byte[] digest = sha256(token);
            for (byte[] d : seen) {
                if (MessageDigest.isEqual(d, digest)) {
                    throw new IllegalArgumentException("a token was given twice: one token, one role");
                }
            }
            seen.add(digest);
            entries.add(new Entry(digest, role));
            return this;
        }

        /**
         * @return the tokens
         */
        public AccessTokens build() {
            return new AccessTokens(entries);
        }
    }
}
