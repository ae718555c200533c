/**
 * Core's shared worker pools for the other modules: internal plumbing, not API; it may change in
 * any release.
 */
package io.mlops.core.internal.concurrent;
