package io.mlops.data.internal;

import io.mlops.core.IntegrityException;
import io.mlops.core.NotFoundException;
import io.mlops.core.Problem;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.spi.StoredVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code verify()} of one version: reads every blob it keeps — its bytes, its schema, each part of a
 * folder version — through its SHA-256, and says what is missing, damaged or unreadable, and what
 * to do about it.
 */
final class BlobCheck {

    private BlobCheck() {
    }

    static List<Problem> of(StoredVersion s, BlobStore blobs) {
        Map<String, String> what = new LinkedHashMap<>();
        what.put(s.blobSha256(), "its bytes");
        if (s.schemaSha256() != null) {
            what.putIfAbsent(s.schemaSha256(), "its schema");
        }
        s.parts().forEach(p -> what.putIfAbsent(p.sha256(), "its part " + p.path()));
        List<Problem> problems = new ArrayList<>();
        String subject = "dataset version '" + s.version().id() + "'";
        what.forEach((sha, kind) -> {
            try (InputStream in = blobs.open(sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (NotFoundException e) {
                problems.add(new Problem(subject, "blob " + sha, kind + " are missing from " + blobs
                        + "; commit the same content again to restore them"));
            } catch (IntegrityException e) {
                problems.add(new Problem(subject, "blob " + sha, kind + " are damaged (" + e.getMessage()
                        + "); commit the same content again to repair them"));
            } catch (IOException e) {
                problems.add(new Problem(subject, "blob " + sha, kind + " cannot be read: " + e.getMessage()));
            }
        });
        return problems;
    }
}
