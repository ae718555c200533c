package io.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model cards: the registry's facts about a version (metadata, tags, alias moves to and from it,
 * signatures, audit events), the free text written as {@code card.*} metadata or added, sections
 * added by others; JSON that parses back to the same facts, Markdown and HTML in which nothing a
 * user wrote becomes markup.
 */
class ModelCardTest {

    static final String HOSTILE = "<script>alert(1)</script> | **bold** [x](http://evil)";

    @TempDir
    Path dir;

    @Test
    void aCardHoldsWhatTheRegistryKnowsAndWhatPeopleWrote() throws Exception {
        ModelRegistry r = ModelRegistry.builder().store(ModelStore.fileSystem(dir.resolve("metadata")))
                .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).actor("ci").build();
        r.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        r.register("churn").version("1.1.0").artifact(new byte[] {2}).metadata("auc", 0.93).metadata("notes", HOSTILE)
                .metadata("card.intended_use", "Scoring churn risk of *monthly* subscribers.").tag("algorithm", HOSTILE).save();
        r.setAlias("churn", "production", "1.0.0");
        r.setAlias("churn", "production", "1.1.0", "better recall " + HOSTILE);
        r.sign("churn", "1.1.0", ModelSigner.ed25519(SigningTest.keys().getPrivate(), "release-2026"));
        ModelCard card = r.card("churn", "1.1.0").withText("Limitations", "Not for enterprise accounts.\n\n" + HOSTILE)
                .withSection("Evaluation", Map.of("auc (holdout)", 0.93));
        assertThat(card.text()).containsEntry("Intended use", "Scoring churn risk of *monthly* subscribers.")
                .containsEntry("Ethical considerations", "");
        assertThat(card.sections()).containsKeys("Aliases", "Signatures", "Audit trail", "Evaluation");
        assertThat(card.sections().get("Signatures")).containsEntry("signatures", 1).containsEntry("keys", List.of("release-2026"));
        assertThat(card.sections().get("Aliases").keySet()).containsExactly("production (points here now)");
        assertThat(card.sections().get("Audit trail").keySet()).containsExactly("1. registered", "2. alias_moved @production",
                "3. signed");

        JsonNode json = new ObjectMapper().readTree(card.toJson());
        assertThat(json.get("sha256").asText()).isEqualTo(r.get("churn", "1.1.0").sha256());
        assertThat(json.at("/metadata/auc").asDouble()).isEqualTo(0.93);
        assertThat(json.at("/text/Limitations").asText()).endsWith(HOSTILE);

        String html = card.toHtml();
        assertThat(html).doesNotContain("<script").doesNotContain("href").contains("&lt;script&gt;")
                .contains("<h2>Intended use</h2>").contains("Not written yet");
        String md = card.toMarkdown();
        assertThat(md).startsWith("# Model card: churn 1.1.0").contains("## Signatures").contains("\\<script\\>")
                .contains("\\| \\*\\*bold\\*\\*").contains("Scoring churn risk of *monthly* subscribers.");
        assertThatThrownBy(() -> r.card("churn", "9.9.9")).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> card.withText(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
