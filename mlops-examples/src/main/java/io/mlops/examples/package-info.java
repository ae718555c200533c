/**
 * Runnable examples: the end-to-end {@code Workflow}, the README's quick start and every README code
 * block ({@code ReadmeSnippets}).
 */
package io.mlops.examples;
