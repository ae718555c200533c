package io.mlops.data.internal;

import io.mlops.data.DatasetIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The lineage graph as the stores keep it in memory: ids per name in commit order, parents and
 * children per id. Not thread-safe; the stores guard it.
 */
final class Graph {

    private final Map<String, List<String>> idsByName = new LinkedHashMap<>();
    private final Map<String, List<String>> parents = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();

    void add(String id, List<String> parentIds) {
        if (parents.containsKey(id)) {
            return;
        }
        parents.put(id, List.copyOf(parentIds));
        idsByName.computeIfAbsent(DatasetIds.nameOf(id), k -> new ArrayList<>()).add(id);
        for (String p : parentIds) {
            children.computeIfAbsent(p, k -> new ArrayList<>()).add(id);
        }
    }

    void remove(String id) {
        List<String> ps = parents.remove(id);
        if (ps == null) {
            return;
        }
        List<String> ids = idsByName.get(DatasetIds.nameOf(id));
        ids.remove(id);
        if (ids.isEmpty()) {
            idsByName.remove(DatasetIds.nameOf(id));
        }
        for (String p : ps) {
            List<String> c = children.get(p);
            if (c != null) {
                c.remove(id);
            }
        }
    }

    boolean contains(String id) {
        return parents.containsKey(id);
    }

    List<String> ids(String name) {
        return List.copyOf(idsByName.getOrDefault(name, List.of()));
    }

    List<String> names() {
        return List.copyOf(new TreeSet<>(idsByName.keySet()));
    }

    List<String> children(String id) {
        return List.copyOf(children.getOrDefault(id, List.of()));
    }

    List<String> allIds() {
        return List.copyOf(parents.keySet());
    }

    void clear() {
        idsByName.clear();
        parents.clear();
        children.clear();
    }
}
