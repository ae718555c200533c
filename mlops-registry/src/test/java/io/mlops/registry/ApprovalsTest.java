package io.mlops.registry;

import io.mlops.core.NotFoundException;
import io.mlops.core.ValidationException;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Protected aliases: no direct move of any kind; a request moves the alias once enough people
 * other than the requester approved it, recorded with who and why; an approval by the requester,
 * twice by one person, of a rejected or stale request is refused and moves nothing; requests are
 * shared by two registries on one folder (as two processes), and two approvers racing to complete
 * one request move the alias once.
 */
class ApprovalsTest {

    @TempDir
    Path dir;

    private ModelRegistry registry(int approvals) {
        return ModelRegistry.builder().store(ModelStore.fileSystem(dir.resolve("metadata")))
                .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).actor("service").protectAlias("production", approvals)
                .build();
    }

    private static void versions(ModelRegistry r, String... versions) {
        for (String v : versions) {
            r.register("churn").version(v).artifact(v.getBytes()).save();
        }
    }

    @Test
    void aProtectedAliasMovesOnlyThroughAnApprovedRequest() {
        ModelRegistry r = registry(2);
        versions(r, "1.0.0", "2.0.0");
        assertThatThrownBy(() -> r.setAlias("churn", "production", "1.0.0")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("2 people other than its requester");
        AliasMoveRequest req = r.requestAliasMove("churn", "production", "1.0.0", "ana", "first release");
        assertThat(req.status()).isEqualTo(AliasMoveRequest.Status.PENDING);
        assertThat(req.id()).matches("[0-9a-f]{16}");
        assertThatThrownBy(() -> r.approve(req.id(), "ana")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("cannot approve");
        assertThat(r.approve(req.id(), "bo").status()).isEqualTo(AliasMoveRequest.Status.PENDING);
        assertThatThrownBy(() -> r.approve(req.id(), "bo")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("already");
        assertThat(r.byAlias("churn", "production")).isEmpty();
        AliasMoveRequest done = r.approve(req.id(), "cy");
        assertThat(done.status()).isEqualTo(AliasMoveRequest.Status.APPLIED);
        assertThat(done.approvers()).containsExactly("bo", "cy");
        assertThat(r.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.0.0");
        AliasChange last = r.aliasHistory("churn", "production").get(0);
        assertThat(last.reason()).contains("first release").contains("by ana").contains("approved by bo, cy");
        assertThat(r.aliasMoveRequest(req.id())).contains(done);
        assertThat(r.auditLog()).extracting(RegistryEvent::type).containsSubsequence(RegistryEvent.Type.MOVE_REQUESTED,
                RegistryEvent.Type.MOVE_APPROVED, RegistryEvent.Type.MOVE_APPROVED, RegistryEvent.Type.ALIAS_MOVED);
        assertThat(r.verifyAuditTrail().intact()).isTrue();
        assertThatThrownBy(() -> r.approve(req.id(), "dee")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("APPLIED");
        AliasMoveRequest next = r.requestAliasMove("churn", "production", "2.0.0", "ana", "second release");
        r.approve(next.id(), "bo");
        r.approve(next.id(), "cy");
        // no other way around it
        assertThatThrownBy(() -> r.rollback("churn", "production")).isInstanceOf(ApprovalRequiredException.class);
        assertThatThrownBy(() -> r.removeAlias("churn", "production")).isInstanceOf(ApprovalRequiredException.class);
        assertThatThrownBy(() -> r.delete("churn", "2.0.0", true)).isInstanceOf(ApprovalRequiredException.class);
        r.setAlias("churn", "staging", "1.0.0"); // unprotected aliases move as before
        assertThat(r.byAlias("churn", "production").orElseThrow().version()).isEqualTo("2.0.0");
    }

    @Test
    void rejectedAndStaleRequestsCannotBeApproved() {
        ModelRegistry r = registry(1);
        versions(r, "1.0.0", "2.0.0", "3.0.0");
        AliasMoveRequest toTwo = r.requestAliasMove("churn", "production", "2.0.0", "ana", null);
        AliasMoveRequest toThree = r.requestAliasMove("churn", "production", "3.0.0", "bo", "hotfix");
        AliasMoveRequest rejected = r.requestAliasMove("churn", "production", "1.0.0", "cy", null);
        assertThat(r.reject(rejected.id(), "dee", "not this one").status()).isEqualTo(AliasMoveRequest.Status.REJECTED);
        assertThatThrownBy(() -> r.approve(rejected.id(), "eve")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("REJECTED");
        assertThat(r.approve(toThree.id(), "eve").status()).isEqualTo(AliasMoveRequest.Status.APPLIED);
        assertThat(r.aliasMoveRequest(toTwo.id()).orElseThrow().status()).isEqualTo(AliasMoveRequest.Status.STALE);
        assertThatThrownBy(() -> r.approve(toTwo.id(), "eve")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("request again");
        assertThat(r.byAlias("churn", "production").orElseThrow().version()).isEqualTo("3.0.0");
        assertThat(r.aliasMoveRequests("churn")).extracting(AliasMoveRequest::status).containsExactly(
                AliasMoveRequest.Status.STALE, AliasMoveRequest.Status.APPLIED, AliasMoveRequest.Status.REJECTED);
        // bad input: each refused before anything is written
        int events = r.auditLog().size();
        assertThatThrownBy(() -> r.approve("0123456789abcdef", "eve")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> r.approve(toTwo.id(), " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.requestAliasMove("churn", "production", "3.0.0", "ana", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("already points");
        assertThatThrownBy(() -> r.requestAliasMove("churn", "staging", "3.0.0", "ana", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not protected");
        assertThatThrownBy(() -> r.requestAliasMove("churn", "production", "9.0.0", "ana", null))
                .isInstanceOf(ModelNotFoundException.class);
        assertThat(r.auditLog()).hasSize(events);
    }

    @Test
    void requestsAreSharedAndRacingApproversMoveTheAliasOnce() throws Exception {
        ModelRegistry one = registry(1);
        ModelRegistry two = registry(1); // another process on the same folder
        versions(one, "1.0.0", "2.0.0");
        for (int round = 0; round < 10; round++) {
            String target = round % 2 == 0 ? "1.0.0" : "2.0.0";
            AliasMoveRequest req = one.requestAliasMove("churn", "production", target, "ana", "round " + round);
            assertThat(two.aliasMoveRequests("churn")).last().extracting(AliasMoveRequest::id).isEqualTo(req.id());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> approvals = new ArrayList<>();
            try {
                for (ModelRegistry r : List.of(one, two)) {
                    String approver = r == one ? "bo" : "cy";
                    approvals.add(pool.submit(() -> {
                        go.await();
                        try {
                            return r.approve(req.id(), approver).status() == AliasMoveRequest.Status.APPLIED;
                        } catch (ApprovalRequiredException late) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int applied = 0;
                for (Future<Boolean> f : approvals) {
                    applied += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(applied).as("round %d", round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(two.byAlias("churn", "production").orElseThrow().version()).isEqualTo(target);
        }
        assertThat(one.aliasHistory("churn", "production")).hasSize(10);
        assertThat(one.verifyAuditTrail().intact()).isTrue();
    }

    @Test
    void theTrustPolicyStillAppliesToRequests() throws Exception {
        java.security.KeyPair release = SigningTest.keys();
        ModelRegistry r = registry(1).trustPolicy("production", TrustPolicy.signedBy(release.getPublic()));
        versions(r, "1.0.0");
        assertThatThrownBy(() -> r.requestAliasMove("churn", "production", "1.0.0", "ana", null))
                .isInstanceOf(UntrustedModelException.class);
        r.sign("churn", "1.0.0", ModelSigner.ed25519(release.getPrivate(), "release"));
        AliasMoveRequest req = r.requestAliasMove("churn", "production", "1.0.0", "ana", null);
        assertThat(r.approve(req.id(), "bo").status()).isEqualTo(AliasMoveRequest.Status.APPLIED);
        assertThatThrownBy(() -> ModelRegistry.builder().protectAlias("production", 0)).isInstanceOf(IllegalArgumentException.class);
        r.protectAlias("production", 0); // lifted on this instance
        assertThat(r.removeAlias("churn", "production")).isTrue();
    }
}
