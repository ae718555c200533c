package io.mlops.serving.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A request body held in blocks that grow with the bytes received: it never takes the memory a
 * client announced, only about what it sent (blocks start at 1 KiB and grow to the size received so
 * far, at most 1 MiB each, so a body holds at most twice its bytes plus 1 KiB, however small the
 * pieces it trickles in). Read as one stream without being copied into one array. Filled by one
 * thread at a time, then read.
 */
final class RequestBody {

    private static final int FIRST_BLOCK = 1024;
    private static final int LARGEST_BLOCK = 1 << 20;

    private final List<byte[]> blocks = new ArrayList<>();
    private byte[] tail;
    private int tailUsed;
    private long length;
    private long capacity;

    private int nextBlock(int needed) {
        return (int) Math.max(needed, Math.min(LARGEST_BLOCK, Math.max(FIRST_BLOCK, length)));
    }

    /** Copies the buffer's remaining bytes in. */
    void add(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            if (tail == null || tailUsed == tail.length) {
                if (tail != null) {
                    blocks.add(tail);
                }
                tail = new byte[nextBlock(bytes.remaining())];
                capacity += tail.length;
                tailUsed = 0;
            }
            int n = Math.min(bytes.remaining(), tail.length - tailUsed);
            bytes.get(tail, tailUsed, n);
            tailUsed += n;
            length += n;
        }
    }

    long length() {
        return length;
    }

    /** The bytes of memory the blocks take. */
    long capacity() {
        return capacity;
    }

    /** The body as one stream. */
    InputStream open() {
        List<InputStream> parts = new ArrayList<>(blocks.size() + 1);
        for (byte[] b : blocks) {
            parts.add(new ByteArrayInputStream(b));
        }
        if (tail != null) {
            parts.add(new ByteArrayInputStream(tail, 0, tailUsed));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** A body of known bytes. */
    static RequestBody of(byte[] bytes) {
        RequestBody b = new RequestBody();
        b.add(ByteBuffer.wrap(bytes));
        return b;
    }
}
